from tracker.web.scim.views import blueprint

__all__ = ["blueprint"]
