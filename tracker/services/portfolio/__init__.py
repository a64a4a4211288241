"""The whole portfolio: what a filter selects, the stored daily figures, the list and the exports."""
