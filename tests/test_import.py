"""Import: every raw format into content/*.md, idempotent, never overwriting a person's edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SEED, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.content import frontmatter
from generator.content.load import load_all
from generator.errors import ProblemLog, SourceError
from generator.importer import import_paths
from generator.ingest.model import RawArticle
from generator.ingest.readers import read_path


def _import(root: Path, *paths: str):  # type: ignore[no-untyped-def]
    return import_paths(load_config(root), [root / p for p in paths])


def _front(root: Path) -> dict[str, dict[str, object]]:
    """Front matter of every content file, by file stem."""
    out = {}
    for file in sorted((root / "content").glob("*.md")):
        out[file.stem] = frontmatter.parse(file.read_text(encoding="utf-8"), str(file))[0]
    return out


def test_sample_article_front_matter(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    report = _import(tmp_path, "seeds")
    assert len(report.created) == 1
    [(slug, data)] = _front(tmp_path).items()
    text = (tmp_path / "content" / f"{slug}.md").read_text(encoding="utf-8")
    assert data["source"] == "عربي21"
    assert data["date"] is None
    assert data["seed"] == f"seeds/{SEED.name}"
    assert str(data["title"]).startswith("تستمر في إقليم قره باغ اشتباكات عنيفة")
    assert len(str(data["title"]).split()) <= 14
    assert data["read_also"] == [
        'خبير أذري لـ"عربي21": روسيا تريد ليّ ذراع أرمينيا.. وهذه خيارات باكو (شاهد)'
    ]
    assert data["related_headlines"] == [
        'بيان مشترك لترامب وبوتين وماكرون حول "قره باغ"',
        'بوتين وماكرون يدعوان لهدنة بـ"قره باغ".. وعرض لوساطة روسية',
        "الأمم المتحدة: القرارات حول انسحاب أرمينيا من قره باغ قائمة",
    ]
    assert "\n## مقاتلين سوريين\n" in text
    assert "اقرأ أيضا" not in text.split("---\n", 2)[2]
    assert data["lang"] == "ar" and data["dir"] == "rtl"
    assert str(data["summary"]).startswith("تستمر في إقليم قره باغ")
    assert isinstance(data["words"], int) and data["words"] > 400
    assert any("no date" in p.message for p in report.log.problems)


RECORD = {
    "source": "okaz",
    "url": "http://example.com/a/1",
    "date": "2015-08-06 10:21:33",
    "title": "عنوان الخبر الأول",
    "author": "كاتب",
    "text": "الفقرة الأولى من الخبر.\nالفقرة الثانية من الخبر.",
    "category": "sport",
}


def _record(n: int, **changes: object) -> dict[str, object]:
    return {
        **RECORD,
        "url": f"http://example.com/a/{n}",
        "title": f"عنوان الخبر رقم {n}",
        "text": f"نص الخبر رقم {n} في فقرة أولى.\nوفقرة ثانية للخبر {n}.",
        **changes,
    }


def test_json_object_array_jsonl_and_csv(tmp_path: Path) -> None:
    csv_text = (
        "title,date,url,text\n"
        'عنوان سي إس في,2016-12-04T17:04:00+01:00,http://example.com/c,"نص، مع فاصلة"\n'
    )
    write_files(
        tmp_path,
        {
            "raw/one.json": json.dumps(_record(1), ensure_ascii=False),
            "raw/many.json": json.dumps([_record(2), _record(3)], ensure_ascii=False),
            "raw/lines.jsonl": "\n".join(json.dumps(_record(n), ensure_ascii=False) for n in (4, 5))
            + "\n",
            "raw/sheet.csv": csv_text,
        },
    )
    report = _import(tmp_path, "raw")
    assert len(report.created) == 6 and report.log.skipped == 0
    fronts = list(_front(tmp_path).values())
    by_seed = {(f["seed"], f.get("seed_index")): f for f in fronts}
    assert by_seed[("raw/many.json", 1)]["title"] == "عنوان الخبر رقم 3"
    assert by_seed[("raw/lines.jsonl", 1)]["url"] == "http://example.com/a/5"
    assert by_seed[("raw/one.json", None)]["extra"] == {"category": "sport"}
    assert by_seed[("raw/sheet.csv", 0)]["date"] == "2016-12-04T17:04:00+01:00"
    assert all(len(str(f["seed_hash"])) == 16 for f in fronts)


def test_import_twice_changes_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"raw/many.json": json.dumps([_record(n) for n in range(5)], ensure_ascii=False)}
    )
    shutil.copy(SEED, tmp_path / "raw" / SEED.name)
    _import(tmp_path, "raw")
    before = {p.name: p.read_bytes() for p in (tmp_path / "content").iterdir()}
    again = _import(tmp_path, "raw")
    after = {p.name: p.read_bytes() for p in (tmp_path / "content").iterdir()}
    assert before == after
    assert len(again.unchanged) == 6 and not again.created and not again.updated


def test_hand_edited_file_is_kept_and_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {"raw/one.json": json.dumps(_record(1), ensure_ascii=False)})
    _import(tmp_path, "raw")
    [file] = (tmp_path / "content").glob("*.md")
    edited = file.read_text(encoding="utf-8").replace("عنوان الخبر رقم 1", "عنوان حرره إنسان")
    file.write_text(edited, encoding="utf-8")
    (tmp_path / "raw" / "one.json").write_text(
        json.dumps(_record(1, text="نص جديد تماما."), ensure_ascii=False), encoding="utf-8"
    )
    report = _import(tmp_path, "raw")
    assert file.read_text(encoding="utf-8") == edited
    assert report.kept_edited == [file.relative_to(tmp_path).as_posix()]
    assert any("edited by hand" in p.message for p in report.log.problems)


def test_changed_seed_updates_an_unedited_file(tmp_path: Path) -> None:
    write_files(tmp_path, {"raw/one.json": json.dumps(_record(1), ensure_ascii=False)})
    _import(tmp_path, "raw")
    (tmp_path / "raw" / "one.json").write_text(
        json.dumps(_record(1, text="نص معدل في المصدر."), ensure_ascii=False), encoding="utf-8"
    )
    report = _import(tmp_path, "raw")
    [file] = (tmp_path / "content").glob("*.md")
    assert len(report.updated) == 1 and "نص معدل في المصدر." in file.read_text(encoding="utf-8")


def test_exact_duplicates_are_imported_once(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "raw/a.json": json.dumps(
                [_record(1), _record(2), _record(1, title="عنوان آخر")], ensure_ascii=False
            )
        },
    )
    report = _import(tmp_path, "raw")
    assert len(report.created) == 2 and report.duplicates == ["raw/a.json[2]"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"title": "x",\n  "text": }', "raw/bad.json:2:11: invalid JSON"),
        ("bad.jsonl", '{"title": "ok", "text": "t"}\n{oops}\n', "raw/bad.jsonl:2:2: invalid JSON"),
        ("latin.txt", b"caf\xe9\n", "raw/latin.txt:1:4: not valid UTF-8"),
        ("empty.txt", "   \n", "raw/empty.txt: empty file"),
        ("list.json", "[1]", "raw/list.json[0]: expected an article object"),
        ("notitle.json", '{"text": ""}', "raw/notitle.json: record has neither text nor title"),
        ("x.pdf", "%PDF", "raw/x.pdf: unsupported file type '.pdf'"),
    ],
)
def test_bad_input_is_reported_and_the_rest_imports(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    write_files(
        tmp_path,
        {f"raw/{name}": content, "raw/good.json": json.dumps(_record(1), ensure_ascii=False)},
    )
    report = import_paths(
        load_config(tmp_path), [tmp_path / "raw" / name, tmp_path / "raw" / "good.json"]
    )
    assert "content/عنوان-الخبر-رقم-1.md" in report.created
    assert any(p.message.startswith(message) for p in report.log.problems), report.log.summary()


def test_loaded_articles_match_their_front_matter(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"raw/many.json": json.dumps([_record(n) for n in range(3)], ensure_ascii=False)}
    )
    _import(tmp_path, "raw")
    log = ProblemLog()
    articles = load_all(tmp_path / "content", tmp_path, log)
    assert len(articles) == 3 and not log.problems
    assert {a.date.isoformat() for a in articles if a.date} == {"2015-08-06T10:21:33"}


@given(st.binary(max_size=400), st.sampled_from([".txt", ".json", ".jsonl", ".csv", ".html"]))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_readers_never_crash_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    file = tmp_path / f"input{suffix}"
    file.write_bytes(data)
    for item in read_path(file, file.name):
        assert isinstance(item, RawArticle | SourceError)


@given(st.text(max_size=600))
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_import_of_arbitrary_text_gives_an_article_or_an_error(tmp_path: Path, text: str) -> None:
    root = tmp_path / "h"
    shutil.rmtree(root, ignore_errors=True)
    write_files(root, {"raw/a.txt": text})
    report = import_paths(load_config(root), [root / "raw"])
    assert len(report.created) + report.log.skipped == 1
    if report.created:
        log = ProblemLog()
        [article] = load_all(root / "content", root, log)
        assert article.title and not log.problems


def test_a_dropped_duplicate_adds_no_warnings_of_its_own(tmp_path: Path) -> None:
    undated = {
        "title": "عنوان بلا تاريخ",
        "text": "نص خبر طويل بما يكفي لا يذكر أي تاريخ على الإطلاق في أي موضع منه.",
    }
    write_files(tmp_path, {"raw/a.json": json.dumps([undated, undated], ensure_ascii=False)})
    report = _import(tmp_path, "raw")
    assert report.log.counts() == {"no date": 1, "exact duplicate": 1}
