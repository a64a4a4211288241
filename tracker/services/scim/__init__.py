"""SCIM 2.0 provisioning: the directory's provisioning service (Entra ID) creates, changes and
deactivates people here, and pushes groups from which their roles follow."""
