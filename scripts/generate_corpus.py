#!/usr/bin/env python3
"""Write a deterministic synthetic corpus of Drucksachen for tests and measurements.

    python scripts/generate_corpus.py --count 3000 /tmp/corpus

The corpus has its own register/ and a realistic mix: inquiries and their answers linked by
``anfrage``, a few inquiries still open, motions and proposals, several committees, factions and
topics, references between documents in the text ("vgl. Drucksache 14/1780") and in ``bezuege``,
2-15 questions per inquiry and answer texts of real length. The same arguments always give the same
files. It never writes into the repository's drucksachen/ folder: that holds real documents only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY_CORPUS = (Path(__file__).resolve().parent.parent / "drucksachen").resolve()

COMMITTEES = (
    ("verbandsversammlung", "Verbandsversammlung", "VV", "Hauptorgan"),
    ("verbandsausschuss", "Verbandsausschuss", "VA", "Hauptausschuss"),
    ("planungsausschuss", "Planungsausschuss", "PlA", "Ausschuss"),
    ("umwelt-gruen", "Ausschuss für Umwelt und grüne Infrastruktur", "UGI", "Ausschuss"),
    ("wirtschaft-europa", "Ausschuss für Wirtschaftsförderung und Europa", "WiE", "Ausschuss"),
    ("kultur-sport", "Ausschuss für Kultur und Sport", "KuS", "Ausschuss"),
    ("digitalisierung-bildung-innovation", "Ausschuss für Digitalisierung, Bildung und Innovation", "DBI", "Ausschuss"),
    ("finanzen-beteiligungen", "Ausschuss für Finanzen und Beteiligungen", "FiB", "Ausschuss"),
)
FACTIONS = (
    ("fraktion-a", "Fraktion Alpha", "ALPHA"),
    ("fraktion-b", "Fraktion Beta", "BETA"),
    ("fraktion-c", "Fraktion Gamma", "GAMMA"),
    ("fraktion-d", "Fraktion Delta", "DELTA"),
    ("fraktion-e", "Fraktion Epsilon", "EPSILON"),
    ("fraktion-f", "Fraktion Zeta", "ZETA"),
)
TOPICS = (
    ("mobilitaet", "Mobilität"),
    ("radverkehr", "Radverkehr"),
    ("klimaschutz", "Klimaschutz"),
    ("freiraum", "Freiraum und Grünflächen"),
    ("wirtschaft", "Wirtschaft und Arbeit"),
    ("tourismus", "Tourismus"),
    ("kultur", "Kultur"),
    ("sport", "Sport"),
    ("digitales", "Digitalisierung"),
    ("finanzen", "Finanzen"),
    ("personal", "Personal und Organisation"),
    ("regionalplanung", "Regionalplanung"),
    ("wasser", "Wasser und Gewässer"),
    ("wald", "Wald und Forst"),
    ("europa", "Europa und Förderprogramme"),
)
SUBJECTS = (
    "Ausbau der Radwege im Verbandsgebiet",
    "Sanierung der Haldenwege",
    "Stand der Regionalplanung",
    "Förderprogramme der Europäischen Union",
    "Personalentwicklung in der Verwaltung",
    "Pflege der Wälder im Verbandsgebiet",
    "Touristische Routen und Besucherzahlen",
    "Digitale Angebote für Bürgerinnen und Bürger",
    "Hochwasserschutz an kleinen Gewässern",
    "Kosten externer Gutachten",
    "Barrierefreiheit der Freizeitanlagen",
    "Entwicklung der Gewerbeflächen",
    "Kulturförderung in der Region",
    "Sportstätten und Vereinsförderung",
    "Klimaanpassung in verdichteten Stadtteilen",
    "Beteiligung junger Menschen",
    "Nutzung erneuerbarer Energien auf Verbandsflächen",
    "Stand der Breitbandversorgung",
    "Pflege der Landmarken",
    "Zusammenarbeit mit den Mitgliedskommunen",
)
# Function words in the order of their frequency in German text: in real answers they are the most frequent
# words ("der" about 5 % of 14/2048-1), well ahead of any subject word (there "Ruhr", 1.6 %).
FUNCTION_WORDS = tuple(
    "der die und in den von zu das mit des auf für ist im dem nicht ein eine als auch an werden aus hat nach wird "
    "bei einer um am sind noch wie einem über einen zum haben nur oder vor zur bis durch wurde sowie kann können "
    "soll sollen wurden alle weitere unter".split()
)
_WORD_LIST = (
    "Verwaltung Region Kommunen Verbandsgebiet Maßnahme Maßnahmen Planung Umsetzung Haushalt Mittel "
    "Förderung Projekt Projekte Zeitraum Jahr Jahres Konzept Beteiligung Ergebnis Ergebnisse Ausschuss "
    "Verbandsversammlung Fraktion Anfrage Antwort Bericht Übersicht Kosten Flächen Wege Anlagen Partner "
    "Vereinbarung Gutachten Verfahren Stand Ziel Ziele Grundlage Daten Angaben Zahl Zahlen Prozent Euro "
    "derzeit bereits weiterhin zusätzlich insbesondere voraussichtlich gemeinsam regelmäßig kurzfristig "
    "mittelfristig langfristig erheblich deutlich umfangreich geplant vorgesehen beauftragt abgeschlossen "
    "geprüft berücksichtigt umgesetzt gefördert erfasst ausgewertet dargestellt abgestimmt erarbeitet"
)
WORDS = FUNCTION_WORDS + tuple(_WORD_LIST.split())
# Real answers use thousands of distinct words with a few very frequent ones (Zipf's law); a small
# uniform vocabulary would make every word occur everywhere and distort search-index measurements.
_STEMS = (
    "Verkehrs Rad Fuß Wald Wasser Klima Energie Flächen Gewerbe Kultur Sport Jugend Senioren Kita Schul "
    "Hochschul Wirtschafts Arbeits Tourismus Landschafts Park Halden Emscher Kanal Brücken Straßen Bahn "
    "Bus Lärm Luft Boden Natur Arten Baum Grün Freiraum Sicherheits Planungs Bau Haushalts Finanz Personal "
    "Digital Daten Netz Breitband Förder Europa Regional Kommunal Verbands Stiftungs Vereins Beteiligungs "
    "Integrations Gesundheits Sozial Wohnungs Stadt Quartiers Dorf Museums Theater Musik Kunst Medien"
).split()
_SUFFIXES = (
    "plan konzept programm projekt maßnahme maßnahmen förderung mittel kosten bedarf bestand entwicklung "
    "strategie gutachten studie bericht berichte vorlage anlage anlagen fläche flächen netz netze weg wege "
    "verbindung verbindungen angebot angebote nutzung pflege schutz sanierung erneuerung ausbau planung "
    "verwaltung beirat forum kooperation partner vertrag verträge leistung leistungen stelle stellen"
).split()
# Function words first, then adverbs and participles, then nouns, then the compounds. Weights follow the
# Zipf-Mandelbrot law of natural language, 1 / (rank + 2.7): the most frequent word gets about 4 % of all words.
VOCABULARY = (
    FUNCTION_WORDS
    + tuple(word for word in WORDS[len(FUNCTION_WORDS) :] if word.islower())
    + tuple(word for word in WORDS[len(FUNCTION_WORDS) :] if not word.islower())
    + tuple(f"{stem}{suffix}" for stem in _STEMS for suffix in _SUFFIXES)
)
_CUMULATIVE_WEIGHTS = tuple(itertools.accumulate(1 / (rank + 2.7) for rank in range(1, len(VOCABULARY) + 1)))


def _words(rng: random.Random, count: int) -> list[str]:
    return rng.choices(VOCABULARY, cum_weights=_CUMULATIVE_WEIGHTS, k=count)


QUESTION_STARTS = (
    "Wie viele",
    "Welche",
    "Wann",
    "In welchem Umfang",
    "Wie bewertet die Verwaltung",
    "Welche Kosten entstehen für",
    "Ist geplant,",
    "Wer ist zuständig für",
)
REFERENCE_PHRASES = ("vgl. Drucksache {0}", "siehe Drucksache {0}", "Drs. {0}", "(Drucksache Nr. {0})", "DS {0}")


@dataclass(frozen=True)
class Planned:
    reference: str
    art: str
    date: dt.date
    faction: str | None
    inquiry: str | None
    questions: int


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Synthetischen Testbestand von Drucksachen erzeugen.")
    parser.add_argument("target", type=Path, help="Zielverzeichnis (wird angelegt; nie drucksachen/)")
    parser.add_argument("--count", type=int, default=1000, help="Anzahl der Drucksachen (Standard: 1000)")
    parser.add_argument("--seed", type=int, default=2048, help="Startwert des Zufallsgenerators")
    parser.add_argument("--force", action="store_true", help="ein vorhandenes Zielverzeichnis ersetzen")
    arguments = parser.parse_args(argv)
    target: Path = arguments.target.resolve()
    if target == REPOSITORY_CORPUS or REPOSITORY_CORPUS in target.parents or target in REPOSITORY_CORPUS.parents:
        print(f"Fehler: {target} gehört zum Bestand echter Drucksachen; bitte ein anderes Verzeichnis wählen.", file=sys.stderr)
        return 2
    if arguments.count < 1:  # checked before --force removes anything
        print("Fehler: --count muss mindestens 1 sein.", file=sys.stderr)
        return 2
    if target.exists() and not target.is_dir():
        print(f"Fehler: {target} ist eine Datei, kein Verzeichnis.", file=sys.stderr)
        return 2
    if target.exists() and any(target.iterdir()):
        if not arguments.force:
            print(f"Fehler: {target} ist nicht leer (mit --force ersetzen).", file=sys.stderr)
            return 2
        shutil.rmtree(target)
    generate_corpus(target, arguments.count, arguments.seed)
    print(f"{arguments.count} Drucksachen in {target} geschrieben.")
    return 0


def generate_corpus(target: Path, count: int, seed: int = 2048) -> None:
    rng = random.Random(seed)
    _write_registers(target / "register")
    planned = _plan(rng, count)
    for index, item in enumerate(planned):
        earlier = [other.reference for other in planned[max(0, index - 400) : index] if other.reference != item.inquiry]
        path = target / item.reference.split("/")[0] / (item.reference.replace("/", "-") + ".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_document(rng, item, earlier), encoding="utf-8")
        if count >= 1000 and (index + 1) % 1000 == 0:
            print(f"  {index + 1} von {count} geschrieben …", file=sys.stderr)


def _plan(rng: random.Random, count: int) -> list[Planned]:
    """Documents in date order, spread over three Wahlperioden; answers follow their inquiries."""
    start = dt.date(2015, 1, 5)
    span_days = 365 * 11  # into 2025, so the last documents belong to the third Wahlperiode
    planned: list[Planned] = []
    open_inquiries: list[Planned] = []
    numbers: dict[int, int] = {}
    for index in range(count):
        date = start + dt.timedelta(days=index * span_days // max(count, 1))
        term = 13 if date.year < 2020 else (14 if date.year < 2025 else 15)
        roll = rng.random()
        if open_inquiries and roll < 0.42:
            inquiry = open_inquiries.pop(rng.randrange(min(3, len(open_inquiries))))  # mostly answered in turn
            planned.append(Planned(inquiry.reference + "-1", "fraktionsanfrage-antwort", date, inquiry.faction, inquiry.reference, inquiry.questions))
            continue
        numbers[term] = numbers.get(term, 0) + rng.randint(1, 3)
        reference = f"{term}/{numbers[term]}"
        if roll < 0.85:
            faction = rng.choice(FACTIONS)[0]
            item = Planned(reference, "fraktionsanfrage", date, faction, None, rng.randint(2, 15))
            if rng.random() < 0.93:  # a few stay unanswered
                open_inquiries.append(item)
        else:
            art = rng.choice(("fraktionsantrag", "beschlussvorlage", "informationsvorlage"))
            faction = rng.choice(FACTIONS)[0] if art == "fraktionsantrag" else None
            item = Planned(reference, art, date, faction, None, 0)
        planned.append(item)
    return planned


def _document(rng: random.Random, item: Planned, earlier: list[str]) -> str:
    subject = rng.choice(SUBJECTS)
    committees = rng.sample(COMMITTEES, k=rng.choice((1, 1, 1, 2, 3)))
    topics = rng.sample(TOPICS, k=rng.randint(1, 3))
    related = rng.sample(earlier, k=min(len(earlier), rng.choice((0, 0, 1, 2))))
    faction_name = next((name for key, name, _ in FACTIONS if key == item.faction), "")
    betreff = {
        "fraktionsanfrage": f"Anfrage der {faction_name}: {subject}",
        "fraktionsanfrage-antwort": f"Antwort auf die Anfrage der {faction_name}: {subject}",
        "fraktionsantrag": f"Antrag der {faction_name}: {subject}",
    }.get(item.art, subject)
    lines = [
        "---",
        f'nummer: "{item.reference}"',
        f"art: {item.art}",
        f"titel: {subject}",
        f'betreff: "{betreff}"',
        f"datum: {item.date.isoformat()}",
        "status: öffentlich",
    ]
    if item.faction:
        lines.append(f"fraktion: {item.faction}")
    if item.inquiry:
        lines.append(f'anfrage: "{item.inquiry}"')
    lines.append("beratungsfolge:")
    for offset, (key, *_rest) in enumerate(committees):
        lines += [f"  - gremium: {key}", f"    sitzung: {(item.date + dt.timedelta(days=8 + 14 * offset)).isoformat()}", "    status: zur Kenntnis"]
        if rng.random() < 0.7:
            lines.append(f'    top: "{rng.randint(1, 20)}"')
    lines.append("themen:")
    lines += [f"  - {key}" for key, _ in topics]
    lines.append("urheber: Der Regionaldirektor")
    lines += ["zustaendig:", f"  referat: Referat {rng.randint(1, 15)}", f"  sachbearbeitung: Muster, Person {rng.randint(1, 99)}"]
    if rng.random() < 0.6:
        lines.append(f'aktenzeichen: "{rng.randint(10, 99)}-{rng.randint(100, 999)}"')
    if related:
        lines.append("bezuege:")
        lines += [f'  - "{reference}"' for reference in related]
    lines += ["---", ""]
    return "\n".join(lines) + _body(rng, item, subject, related)


def _sentence(rng: random.Random, low: int = 6, high: int = 18) -> str:
    words = _words(rng, rng.randint(low, high))
    return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 6)) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _question(rng: random.Random, subject: str) -> str:
    return f"{rng.choice(QUESTION_STARTS)} {' '.join(_words(rng, rng.randint(4, 9)))} ({subject})?"


def _body(rng: random.Random, item: Planned, subject: str, related: list[str]) -> str:
    parts: list[str] = []
    if item.art in ("fraktionsanfrage", "fraktionsanfrage-antwort"):
        questions = [_question(rng, subject) for _ in range(item.questions)]
        parts += ["## Anfrage", "", _paragraph(rng), ""]
        if related:
            parts += [f"{_paragraph(rng, (1, 2))} ({rng.choice(REFERENCE_PHRASES).format(related[0])})", ""]
        parts += [f"{number}. {question}" for number, question in enumerate(questions, 1)]
        parts.append("")
        if item.art == "fraktionsanfrage-antwort":
            parts += ["## Antwort", ""]
            for number, question in enumerate(questions, 1):
                parts += [f"### {number}. {question}", ""]
                # Like real answers: a paragraph or two per question (14/2048-1: 5 answers, ~700 words).
                parts += [_paragraph(rng, (2, 5)) + "\n" for _ in range(rng.randint(1, 2))]
    else:
        parts += ["## Sachverhalt", ""]
        parts += [_paragraph(rng, (3, 8)) + "\n" for _ in range(rng.randint(2, 6))]
        if related:
            parts += [f"Zum bisherigen Stand {rng.choice(REFERENCE_PHRASES).format(related[0])}.", ""]
    return "\n".join(parts).rstrip() + "\n"


def _write_registers(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    committees = [
        f"- id: {key}\n  name: {name}\n  kurzname: {short}\n  aliase:\n    - {name}\n  oparl:\n    organizationType: Gremium\n    classification: {kind}\n"
        for key, name, short, kind in COMMITTEES
    ]
    factions = [
        f"- id: {key}\n  name: {name}\n  kurzname: {short}\n  aliase:\n    - {short}\n  oparl:\n    organizationType: Fraktion\n    classification: Fraktion\n"
        for key, name, short in FACTIONS
    ]
    topics = [f"- id: {key}\n  name: {name}\n" for key, name in TOPICS]
    (folder / "gremien.yml").write_text("# Synthetic test data.\n" + "".join(committees), encoding="utf-8")
    (folder / "fraktionen.yml").write_text("# Synthetic test data.\n" + "".join(factions), encoding="utf-8")
    (folder / "themen.yml").write_text("# Synthetic test data.\n" + "".join(topics), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
