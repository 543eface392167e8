import pytest

from rejoinder.analysis.normalize import normalize
from rejoinder.analysis.rules import RULE_NAMES, evaluate_rules


def fired(text: str) -> dict[str, str]:
    return {h.rule: h.matched for h in evaluate_rules(text, normalize(text)) if h.value > 0}


@pytest.mark.parametrize("text", [
    "Those traitors should be hanging from lanterns.",
    "They should be shot, all of them.",
    "I know where you live.",
    "I'm going to find you.",
    "He deserves a bullet.",
])
def test_threat_phrasing(text):
    assert "threat_phrase" in fired(text)


@pytest.mark.parametrize("text", [
    "The army shelled the city and soldiers were killed.",
    "This budget will be a killer for small firms.",
    "The plan should be shot down in parliament.",
])
def test_war_reporting_is_not_a_threat(text):
    assert "threat_phrase" not in fired(text)


def test_spam_features():
    hits = fired("Buy cheap viagra, no prescription, only $19.99 at www.pills-now.biz")
    assert {"spam_terms", "price", "links"} <= hits.keys()
    assert "viagra" in hits["spam_terms"]


def test_gibberish_and_caps():
    assert "gibberish" in fired("asdkjh qwpoeiru zmxncbv lkjhg")
    assert "caps" in fired("THIS IS THE WORST ARTICLE EVER WRITTEN")
    assert "caps" not in fired("This is the worst article ever written")


def test_obfuscated_insult_matches():
    assert fired("you are an 1d1ot")["insult"] == "you are an idiot"
    assert "dehumanising" in fired("Immіgrants are vеrmin")


def test_rule_order_is_stable():
    assert RULE_NAMES[0] == "threat_phrase"
    assert len(evaluate_rules("", "")) == len(RULE_NAMES)
