"""The caption/credit splitter on the shapes credits take in the wild."""

from __future__ import annotations

import pytest

from clipper.capture.credits import clean_credit, merge_credit, split_caption


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        (
            "A helicopter flies over Tantan, Morocco, June 18, 2021. (AP Photo/Mosa'ab Elshamy)",
            "A helicopter flies over Tantan, Morocco, June 18, 2021.",
            "AP Photo/Mosa'ab Elshamy",
        ),
        ("A cat sleeps on a chair (Photo: Jane Doe)", "A cat sleeps on a chair", "Jane Doe"),
        ("A cat sleeps on a chair (Credit: Jane Doe)", "A cat sleeps on a chair", "Jane Doe"),
        (
            "Boris Johnson at the summit. Photograph: Stefan Rousseau/PA",
            "Boris Johnson at the summit.",
            "Stefan Rousseau/PA",
        ),
        ("The river at dawn. Credit: Jane Doe", "The river at dawn.", "Jane Doe"),
        ("The river at dawn. Image: NASA/JPL-Caltech", "The river at dawn.", "NASA/JPL-Caltech"),
        ("The river at dawn. Picture: PA", "The river at dawn.", "PA"),
        (
            "Protesters in Hong Kong. AP Photo/Vincent Yu",
            "Protesters in Hong Kong.",
            "AP Photo/Vincent Yu",
        ),
        (
            "The company headquarters in London © Reuters",
            "The company headquarters in London",
            "© Reuters",
        ),
        ("A view of the city (Getty Images)", "A view of the city", "Getty Images"),
        ("A dog in the park. Photo by John Roe", "A dog in the park.", "John Roe"),
        ("Photo: Jane Doe", "", "Jane Doe"),
    ],
)
def test_trailing_credits_are_split_off(text: str, caption: str, credit: str) -> None:
    assert split_caption(text) == (caption, credit)


@pytest.mark.parametrize(
    "text",
    [
        "Mourinho at Manchester United (2018)",
        "Students (left) wait outside the school",
        "The image: a cat sitting on a mat",
        "Illustrative: soldiers at the border crossing",
        "Rescue teams search the rubble",
    ],
)
def test_captions_without_a_credit_stay_whole(text: str) -> None:
    assert split_caption(text) == (text, "")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("(Photo: Jane Doe)", "Jane Doe"),
        ("Credit: Jane Doe", "Jane Doe"),
        ("Photograph: Lena Park/Harbor Daily", "Lena Park/Harbor Daily"),
        ("Image: Getty", "Getty"),
        ("Picture: Alamy", "Alamy"),
        ("(AP Photo/Jane Doe)", "AP Photo/Jane Doe"),
        ("© Reuters", "© Reuters"),
        ("[Jane Doe/AFP]", "Jane Doe/AFP"),
        ("  Jane Doe  ", "Jane Doe"),
    ],
)
def test_credits_lose_brackets_and_labels_but_agency_forms_stay_whole(raw: str, clean: str) -> None:
    assert clean_credit(raw) == clean


def test_a_credit_element_is_removed_from_the_caption_text() -> None:
    caption, credit = merge_credit("The tarn at dusk. (Photo: Rob Ellison)", "(Photo: Rob Ellison)")
    assert (caption, credit) == ("The tarn at dusk.", "Rob Ellison")


def test_a_caption_without_credit_element_is_split_by_pattern() -> None:
    assert merge_credit("The tarn at dusk. Credit: Rob Ellison", "") == (
        "The tarn at dusk.",
        "Rob Ellison",
    )
