"""Names as returns spell them: exact keys match, loose keys only suggest, codes get a readable prefix."""

from tracker.domain.imports.names import code_prefix, loose_key, name_key


def test_case_and_spacing_do_not_make_another_programme() -> None:
    assert name_key("  WASTE   app ") == name_key("Waste App") == "waste app"
    assert name_key("Crossrail") != name_key("Crossrail Programme")


def test_names_that_drift_between_years_share_a_loose_key() -> None:
    assert loose_key("Crossrail") == loose_key("Crossrail Programme") == "crossrail"
    assert loose_key("Roads & Bridges") == loose_key("Roads and bridges.")
    assert loose_key("Spending Review 2015") == loose_key("Spending review")
    assert loose_key("Geological Disposal Facility Programme (GDF)") == loose_key(
        "Geological Disposal Facility"
    )
    assert loose_key("Universal Credit") != loose_key("Universal Credit Digital Service")
    assert loose_key("The Programme") == ""


def test_a_code_prefix_comes_from_the_directorate_else_the_file() -> None:
    assert code_prefix("MOD") == "MOD"
    assert code_prefix("DfT") == "DFT"
    assert code_prefix("Place") == "PLACE"
    assert code_prefix("Resources") == "RES"
    assert code_prefix("Agriculture and Agri-Food Canada") == "AAFC"
    assert code_prefix("Department for Work and Pensions") == "DWP"
    assert code_prefix("", "gmpp_2018") == "GMPP"
    assert code_prefix("", "") == "IMP"
