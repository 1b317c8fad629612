"""The site index: documents by committee, faction, topic, year and Wahlperiode; cross-links.

Built once per build from the loaded corpus and the rendered bodies. Every list is newest first
(``sort_key_newest_first``) so the output does not depend on file-system order.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .load import Corpus
from .model import Drucksache, PaperType, Registers
from .render import RenderedBody


@dataclass(frozen=True, slots=True)
class AnswerTime:
    inquiry: Drucksache
    answer: Drucksache

    @property
    def days(self) -> int:
        return (self.answer.date - self.inquiry.date).days


@dataclass(frozen=True, slots=True)
class Catalog:
    documents: tuple[Drucksache, ...]  # newest first
    registers: Registers
    bodies: dict[str, RenderedBody]  # by reference
    by_reference: dict[str, Drucksache]
    by_committee: dict[str, tuple[Drucksache, ...]]  # every register id present, possibly empty
    by_faction: dict[str, tuple[Drucksache, ...]]
    by_topic: dict[str, tuple[Drucksache, ...]]
    by_year: dict[int, tuple[Drucksache, ...]]  # newest year first
    by_term: dict[int, tuple[Drucksache, ...]]  # newest Wahlperiode first
    answers_to: dict[str, tuple[Drucksache, ...]]  # inquiry reference -> its answers (oldest first)
    mentioned_in: dict[str, tuple[Drucksache, ...]]  # reference -> documents that mention it
    today: dt.date  # the reference date for the age of open inquiries

    def answer_time(self, inquiry: Drucksache) -> AnswerTime | None:
        """Inquiry -> its first answer, when both are published."""
        answers = self.answers_to.get(inquiry.reference)
        return AnswerTime(inquiry, answers[0]) if answers else None

    def answered(self, answer: Drucksache) -> AnswerTime | None:
        """Answer -> the time since its inquiry, when the inquiry is published."""
        inquiry = self.by_reference.get(answer.answers or "")
        return AnswerTime(inquiry, answer) if inquiry is not None else None

    def open_inquiries(self, documents: Iterable[Drucksache]) -> list[Drucksache]:
        """Inquiries without a published answer, in the order given (newest first)."""
        return [doc for doc in documents if doc.paper_type is PaperType.INQUIRY and doc.reference not in self.answers_to]

    def median_answer_days(self, documents: Iterable[Drucksache]) -> tuple[float | None, int]:
        """Median days from inquiry to its first answer, over the first answers among ``documents``.

        A supplementary answer (…-2) does not count again: the median describes how long an inquiry waits.
        """
        days = [
            time.days
            for doc in documents
            if doc.paper_type.is_answer and (time := self.answered(doc)) is not None and self.answers_to[doc.answers or ""][0] is doc
        ]
        return (statistics.median(days) if days else None), len(days)

    def newest_change(self, documents: Iterable[Drucksache]) -> dt.date | None:
        """The newest date a listing of ``documents`` shows: their own, and that of the first answer to an inquiry."""
        dates = []
        for doc in documents:
            dates.append(doc.date)
            answers = self.answers_to.get(doc.reference)
            if answers:
                dates.append(answers[0].date)
        return max(dates, default=None)

    def age_days(self, document: Drucksache) -> int:
        return (self.today - document.date).days


def build_date() -> dt.date:
    """Today, or ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def build_catalog(corpus: Corpus, render: Callable[[Drucksache], RenderedBody], today: dt.date) -> Catalog:
    documents = corpus.documents
    registers = corpus.registers
    bodies = {doc.reference: render(doc) for doc in documents}
    by_reference = {doc.reference: doc for doc in documents}

    committees: dict[str, list[Drucksache]] = {key: [] for key in registers.committees}
    factions: dict[str, list[Drucksache]] = {key: [] for key in registers.factions}
    topics: dict[str, list[Drucksache]] = {key: [] for key in registers.topics}
    years: dict[int, list[Drucksache]] = defaultdict(list)
    terms: dict[int, list[Drucksache]] = defaultdict(list)
    answers: dict[str, list[Drucksache]] = defaultdict(list)
    mentions: dict[str, list[Drucksache]] = defaultdict(list)
    for doc in documents:  # already newest first, so every list below is too
        for committee in doc.committees:
            committees[committee].append(doc)
        if doc.faction:
            factions[doc.faction].append(doc)
        for topic in doc.topics:
            topics[topic].append(doc)
        years[doc.date.year].append(doc)
        terms[doc.legislative_term].append(doc)
        if doc.answers:
            answers[doc.answers].append(doc)
        for reference in dict.fromkeys((*bodies[doc.reference].references, *doc.related)):
            if reference != doc.reference and reference in by_reference:
                mentions[reference].append(doc)
    return Catalog(
        documents=documents,
        registers=registers,
        bodies=bodies,
        by_reference=by_reference,
        by_committee=_frozen(committees),
        by_faction=_frozen(factions),
        by_topic=_frozen(topics),
        by_year={year: tuple(years[year]) for year in sorted(years, reverse=True)},
        by_term={term: tuple(terms[term]) for term in sorted(terms, reverse=True)},
        answers_to={key: tuple(reversed(value)) for key, value in answers.items()},
        mentioned_in=_frozen(mentions),
        today=today,
    )


def _frozen(groups: dict[str, list[Drucksache]]) -> dict[str, tuple[Drucksache, ...]]:
    return {key: tuple(value) for key, value in groups.items()}
