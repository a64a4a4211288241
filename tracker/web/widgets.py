"""GOV.UK radios and checkboxes that always ask their question and never point at an empty hint.

govuk-frontend-wtf gives every group a hint, empty when the field has no description, and the
inputs' `aria-describedby` then names it; and a template that styles the legend loses its words.
These widgets drop an empty hint and fall back on the field's label for a legend with no words."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf import wtforms_widgets


class _AskedAndDescribed:
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        hint = params.get("hint")
        if hint is not None and not (hint.get("text") or hint.get("html")):
            params["hint"] = None
        legend = (params.get("fieldset") or {}).get("legend")
        if legend is not None and not (legend.get("text") or legend.get("html")):
            legend["text"] = field.label.text
        return params


class GovRadioInput(_AskedAndDescribed, wtforms_widgets.GovRadioInput):
    """Radios in a fieldset whose legend is the question (the field's label unless the page words it)."""


class GovCheckboxesInput(_AskedAndDescribed, wtforms_widgets.GovCheckboxesInput):
    """Several checkboxes in a fieldset whose legend is the question."""


class GovCheckboxInput(_AskedAndDescribed, wtforms_widgets.GovCheckboxInput):
    """One checkbox, its label the whole question."""
