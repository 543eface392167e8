import pytest

from rejoinder.analysis.scores import Category

HEATED_BUT_CIVIL = [
    "This is completely wrong and the author should be embarrassed by such sloppy work.",
    "I could not disagree more. The sanctions are failing and everyone can see it.",
    "Absolute nonsense from start to finish; the minister should resign over this.",
    "Your argument collapses once you read the actual treaty text.",
    "The army shelled the city for weeks and thousands were killed. Peace talks now!",
    "THIS POLICY IS A DISASTER AND I WILL VOTE AGAINST EVERY PERSON WHO SUPPORTED IT",
    "What a terrible decision by the referee, we were robbed in the last minute.",
    "> You are an idiot\nPlease keep it civil; insults add nothing to this debate.",
    "Oh sure, because the last ceasefire worked SO well. Brilliant plan.",
    "Disgraceful handling of the library closure by the council. Shameful.",
]


def test_heated_but_civil_is_not_flagged(classifier):
    for text, scores in zip(HEATED_BUT_CIVIL, classifier.score_batch(HEATED_BUT_CIVIL),
                            strict=True):
        assert not scores.flagged, (text, [s.reason for s in scores.flagged])


@pytest.mark.parametrize("text", [
    "you are an 1d1ot",
    "you are an i d i o t",
    "you are an id\u200biot",
    "you are an іdіоt",  # Cyrillic homoglyphs
    "Shut up, you pathetic moron.",
])
def test_obfuscated_insults_are_toxic(classifier, text):
    score = classifier.score(text).categories[Category.TOXICITY]
    assert score.flagged, score
    assert any(f.source == "rule:insult" for f in score.findings)


@pytest.mark.parametrize(("text", "category", "source"), [
    ("Those traitors should be hanging from lanterns.", Category.THREAT, "rule:threat_phrase"),
    ("The journalists should be shot for this.", Category.THREAT, "rule:threat_phrase"),
    ("Immigrants are vermin and should be driven out.", Category.IDENTITY_ATTACK,
     "rule:dehumanising"),
    ("What a fucking shit game, holy fuck.", Category.PROFANITY, "profanity_model"),
    ("Buy cheap cialis online only $29 at www.meds-now.biz", Category.SPAM, "rule:spam_terms"),
])
def test_categories_and_their_findings(classifier, text, category, source):
    score = classifier.score(text).categories[category]
    assert score.flagged, score
    assert source in {f.source for f in score.findings}
    assert score.reason.startswith(f"{category.value} ")


@pytest.mark.parametrize("text", ["", "🔥🔥🔥😂", "word " * 2000, "Привет, это mixed текст",
                                  "\u200b\u200b", "漢字とEnglish", "a" * 10_000])
def test_odd_input_scores_without_error(classifier, text):
    scores = classifier.score(text)
    assert set(scores.categories) == set(Category)
    for s in scores.categories.values():
        assert 0.0 <= s.probability <= 1.0


def test_probabilities_are_ordered_sensibly(classifier):
    civil, toxic = classifier.score_batch(["Thanks, that was a useful summary.",
                                           "You worthless idiot, nobody wants you here."])
    assert toxic.probability(Category.TOXICITY) > civil.probability(Category.TOXICITY) + 0.5
