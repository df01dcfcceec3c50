"""Citations: the verdict comes from one rule, and the article's claims get the verdicts the other sources give.

That each citation rule reports its own breakage at every cell it covers is the rule matrix's job."""

from __future__ import annotations

import pandas as pd
import pytest

from verification import derive, verdict

pytestmark = pytest.mark.usefixtures("in_package")


@pytest.mark.parametrize(
    "relations, expected",
    [
        ({"reports"}, "uncorroborated"),
        ({"reports", "contextualises"}, "uncorroborated"),
        ({"reports", "corrects"}, "uncorroborated"),
        ({"reports", "corroborates"}, "corroborated"),
        ({"reports", "corroborates", "corrects"}, "partly_corroborated"),
        ({"reports", "corroborates", "contradicts"}, "contradicted"),
    ],
)
def test_the_verdict_rule(relations, expected):
    assert verdict(relations) == expected


def test_the_verdicts_of_the_articles_claims_follow_the_research_notes(in_package):
    citations = pd.read_csv(in_package.csv_path("citations"), dtype="string")
    verdicts = derive(citations)
    assert verdicts[("agreements", "agr-cybercrime-law-2025-08")] == "contradicted"
    assert verdicts[("figures", "fig-cybercrime-law-max-term")] == "contradicted"
    assert verdicts[("figures", "fig-us-sanctions-targets")] == "contradicted"
    assert verdicts[("events", "ev-us-sanctions-19-targets")] == "partly_corroborated"
    assert verdicts[("events", "ev-fraud-committee-established")] == "partly_corroborated"
    for uncorroborated in (
        "ev-operation-thunder-2025",
        "ev-sihanoukville-cases-2025-10",
        "ev-equipment-transfer-2025-11",
        "ev-cross-border-case-2025-12-03",
        "ev-border-surveillance-system-2025-09",
    ):
        assert verdicts[("events", uncorroborated)] == "uncorroborated"
    assert verdicts[("agreements", "agr-mou-online-fraud-2025-02")] == "uncorroborated"
