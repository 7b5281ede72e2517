"""The diagnosis request's database work in few round trips: lock and read a learner, then write.

The hot path (DESIGN.md §3) must stay within a few milliseconds, and on this stack each ORM
statement costs ~0.5 ms of Python on top of its round trip. So a request makes exactly:

1. ``pg_advisory_xact_lock`` on the learner (serialises a learner's concurrent submissions, so
   no update of their aggregates, pattern or difficulty state is lost), reading the ids of the
   active config and model versions in the same statement;
2. one read of the problem, the previous attempt on it (by arrival: attempt numbers count the
   learner's stored submissions on the problem, so they stay 1, 2, 3… even when the platform
   delivers out of order), the learner's aggregates, difficulty
   state and pattern states;
3. one write: a data-modifying CTE that inserts the submission (``ON CONFLICT DO NOTHING`` on
   ``external_id``: idempotency under races) and its diagnosis, and upserts the aggregates,
   the difficulty state and the touched pattern states, all conditional on the submission row.

Column lists, casts and table names are derived from the models' ``_meta``, so a field added
to a model is written here without editing SQL. History rows (django-simple-history) and
difficulty adjustments are rare and written by the caller through the ORM. All three run on
``mimsite.db.prepared_cursor``: parsed and planned once per connection, not per request.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, models

from diagnosis.core.features import PreviousAttempt
from diagnosis.models import (
    Diagnosis,
    DifficultyState,
    LearnerProfile,
    PatternState,
    Problem,
    Submission,
)
from governance.models import ConfigVersion, ModelVersion
from mimsite.db import StatementPart, TypedValues, prepared_cursor
from mimsite.db import table as _table


@dataclass(frozen=True, slots=True)
class ProblemInfo:
    id: int
    title: str
    tags: tuple[str, ...]
    category: str
    difficulty: int | None


@dataclass(frozen=True, slots=True)
class StoredPattern:
    """A pattern state row as read: the snapshot (with its categories) and the indexed fields."""

    id: int
    root_cause: str
    subtype: str
    state: str
    severity: str
    mastery: str
    snapshot: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LearnerState:
    active_config_id: int | None
    active_model_id: int | None
    existing: dict[str, Any] | None  # {"id", "result"} of an already stored external_id
    problem: ProblemInfo | None
    previous: PreviousAttempt | None
    profile: dict[str, Any] | None
    difficulty_snapshot: dict[str, Any] | None
    difficulty_level: int | None
    patterns: Mapping[tuple[str, str], StoredPattern] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HistoryRows:
    """The django-simple-history rows a write records, for real transitions only: per pattern
    key (root cause, subtype) and for the difficulty state, the history type (`+` created,
    `~` changed); with the date and the acting user, as `bulk_history_create` records them."""

    date: datetime
    user_id: int | None
    patterns: Mapping[tuple[str, str], str] = field(default_factory=dict)
    difficulty: str | None = None


@dataclass(frozen=True, slots=True)
class WriteResult:
    submission_id: int | None  # None: another request stored this external_id first
    diagnosis_id: int | None = None


# A learner's transaction-scoped lock, keyed by their id: every write of a learner's state takes
# it (the diagnosis request here, erasure in diagnosis.learner_services).
_LEARNER_LOCK = "pg_advisory_xact_lock(hashtextextended(%s, 0))"

# The lock statement also reads the ids of the active config and model versions (one round trip
# for all three); both are cached per process by id, so an activation or rollback takes effect
# on every process at the next request.
_LOCK_SQL = (
    f"SELECT {_LEARNER_LOCK}, "
    f"(SELECT id FROM {_table(ConfigVersion)} WHERE status = 'active' LIMIT 1), "
    f"(SELECT id FROM {_table(ModelVersion)} WHERE status = 'active' AND model_type = %s LIMIT 1)"
)

_READ_SQL = f"""
SELECT
  (SELECT json_build_object('id', p.id, 'title', p.title, 'tags', p.tags,
                            'category', p.category, 'difficulty', p.difficulty)
     FROM {_table(Problem)} p WHERE p.external_id = %(problem)s),
  (SELECT json_build_object('code', s.code, 'submitted_at', s.submitted_at,
                            'attempt_number', s.attempt_number)
     FROM {_table(Submission)} s JOIN {_table(Problem)} p ON p.id = s.problem_id
     WHERE s.user_id = %(user)s AND p.external_id = %(problem)s
     ORDER BY s.id DESC LIMIT 1),
  (SELECT row_to_json(l) FROM {_table(LearnerProfile)} l WHERE l.user_id = %(user)s),
  (SELECT json_build_object('level', d.level, 'snapshot', d.snapshot)
     FROM {_table(DifficultyState)} d WHERE d.user_id = %(user)s),
  (SELECT coalesce(json_agg(json_build_object(
            'id', ps.id, 'root_cause', ps.root_cause, 'subtype', ps.subtype, 'state', ps.state,
            'severity', ps.severity, 'mastery', ps.mastery, 'snapshot', ps.snapshot)), '[]')
     FROM {_table(PatternState)} ps WHERE ps.user_id = %(user)s),
  (SELECT json_build_object('id', s.id, 'result', s.result)
     FROM {_table(Submission)} s WHERE s.external_id = %(external_id)s)
"""


def learner_lock(*, user_id: str) -> None:
    """Take the learner's lock until the end of the current transaction (the one a diagnosis
    request takes), so a write cannot interleave with a submission of the same learner."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_LEARNER_LOCK}", [user_id])


def learner_state_lock_and_read(
    *, user_id: str, problem_external_id: str, external_id: str, model_type: str = "mim"
) -> LearnerState:
    """Lock the learner for this transaction, then read everything the decision needs, and the
    stored result if this `external_id` was already processed (an idempotent repeat)."""
    with prepared_cursor() as cursor:
        cursor.execute(_LOCK_SQL, [user_id, model_type])
        (_, active_config_id, active_model_id) = cursor.fetchone()
        cursor.execute(
            _READ_SQL,
            {"user": user_id, "problem": problem_external_id, "external_id": external_id},
        )
        problem, previous, profile, difficulty, patterns, existing = (
            _decode(value) for value in cursor.fetchone()
        )
    return LearnerState(
        active_config_id=active_config_id,
        active_model_id=active_model_id,
        existing=existing,
        problem=_problem_info(problem) if problem else None,
        previous=(
            PreviousAttempt(
                code=previous["code"],
                submitted_at=datetime.fromisoformat(previous["submitted_at"]),
                attempt_number=int(previous["attempt_number"]),
            )
            if previous
            else None
        ),
        profile=(
            {**profile, **{k: _decode(profile[k]) for k in ("category_stats", "root_cause_counts")}}
            if profile
            else None
        ),
        difficulty_snapshot=_decode(difficulty["snapshot"]) if difficulty else None,
        difficulty_level=difficulty["level"] if difficulty else None,
        patterns={
            (p["root_cause"], p["subtype"]): StoredPattern(
                id=p["id"],
                root_cause=p["root_cause"],
                subtype=p["subtype"],
                state=p["state"],
                severity=p["severity"],
                mastery=p["mastery"],
                snapshot=_decode(p["snapshot"]),
            )
            for p in patterns
        },
    )


def _decode(value: Any) -> Any:
    """JSON columns come back as text (Django registers a text loader); decode them."""
    return json.loads(value) if isinstance(value, str) else value


def _problem_info(raw: Mapping[str, Any]) -> ProblemInfo:
    return ProblemInfo(
        id=raw["id"],
        title=raw["title"],
        tags=tuple(raw["tags"] or ()),
        category=raw["category"],
        difficulty=raw["difficulty"],
    )


def problem_info(problem: Problem) -> ProblemInfo:
    return ProblemInfo(
        id=problem.id,
        title=problem.title,
        tags=tuple(problem.tags),
        category=problem.category,
        difficulty=problem.difficulty,
    )


@functools.cache
def _historical(model: type[models.Model]) -> tuple[type[models.Model], tuple[str, ...]]:
    """The model's django-simple-history model and its tracked attnames but the id (the
    `history` descriptor builds a new manager class on every access, so it is read once)."""
    historical = model.history.model  # type: ignore[attr-defined]
    return historical, tuple(f.attname for f in historical.tracked_fields if f.attname != "id")


def history_user_id() -> int | None:
    """The account django-simple-history records as acting now (the request's authenticated
    user under its middleware, else none), for history rows written here."""
    historical, _ = _historical(PatternState)
    user = historical.get_default_history_user(PatternState())
    return user.pk if user is not None else None


def _history_cte(
    *,
    name: str,
    model: type[models.Model],
    source: str,
    keys: Sequence[str],
    rows: Sequence[tuple[Mapping[str, Any], str]],
    history: HistoryRows,
) -> tuple[str, list[Any]]:
    """A CTE inserting `model`'s history rows for `rows` (values, history type); the id of each
    comes from the CTE `source`, matched on `keys`. Only the historical model's tracked fields
    are written (its excluded fields, such as snapshots, are not history)."""
    historical, tracked = _historical(model)
    values = [
        TypedValues(
            historical,
            {name: row[name] for name in tracked}
            | {
                "history_date": history.date,
                "history_change_reason": "",
                "history_type": history_type,
                "history_user_id": history.user_id,
            },
        )
        for row, history_type in rows
    ]
    columns = values[0].column_list
    match = " AND ".join(f"source.{key} = v.{key}" for key in keys)
    sql = (
        f"{name} AS (INSERT INTO {_table(historical)} (id, {columns}) "
        f"SELECT source.id, v.* FROM {source} AS source JOIN "
        f"(VALUES {', '.join(f'({v.placeholder_list})' for v in values)}) AS v({columns}) "
        f"ON {match})"
    )
    return sql, [param for v in values for param in v.params]


def _update_set(columns: Sequence[str], conflict: Sequence[str]) -> str:
    keys = {connection.ops.quote_name(c) for c in conflict}
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)


def learner_state_write(
    *,
    submission: Mapping[str, Any],
    diagnosis: Mapping[str, Any] | None,
    profile: Mapping[str, Any],
    difficulty: Mapping[str, Any],
    patterns: Sequence[Mapping[str, Any]],
    history: HistoryRows | None = None,
    extra: StatementPart | None = None,
) -> WriteResult:
    """Insert the submission (and diagnosis) and upsert the learner's state in one statement.

    Every part is conditional on the submission insert, so when another request already stored
    the same `external_id` nothing at all is written and `submission_id` is None. `history`
    names the pattern and difficulty rows whose history rows are written too. `extra` adds
    another app's rows to the same statement (the diagnosis's memory): its CTEs may read `sub`
    and `diag` (each one row with an `id`, or none).
    """
    params: list[Any] = []
    sub = TypedValues(Submission, submission)
    ctes = [
        f"sub AS (INSERT INTO {_table(Submission)} ({sub.column_list}) "
        f"VALUES ({sub.placeholder_list}) ON CONFLICT (external_id) DO NOTHING RETURNING id)"
    ]
    params += sub.params
    if diagnosis is not None:
        diag = TypedValues(Diagnosis, diagnosis)
        ctes.append(
            f"diag AS (INSERT INTO {_table(Diagnosis)} (submission_id, {diag.column_list}) "
            f"SELECT sub.id, {diag.placeholder_list} FROM sub RETURNING id)"
        )
        params += diag.params
    for name, model, values, conflict in (
        ("prof", LearnerProfile, profile, ["user_id"]),
        ("diff", DifficultyState, difficulty, ["user_id"]),
    ):
        row = TypedValues(model, values)
        ctes.append(
            f"{name} AS (INSERT INTO {_table(model)} ({row.column_list}) "
            f"SELECT {row.placeholder_list} FROM sub ON CONFLICT ({', '.join(conflict)}) "
            f"DO UPDATE SET {_update_set(row.columns, conflict)} RETURNING id, user_id)"
        )
        params += row.params
    if history is not None and history.difficulty is not None:
        sql, history_params = _history_cte(
            name="diff_history",
            model=DifficultyState,
            source="diff",
            keys=["user_id"],
            rows=[(difficulty, history.difficulty)],
            history=history,
        )
        ctes.append(sql)
        params += history_params
    if patterns:
        rows = [TypedValues(PatternState, values) for values in patterns]
        columns = rows[0].columns
        values_sql = ", ".join(f"({r.placeholder_list})" for r in rows)
        conflict = ["user_id", "root_cause", "subtype"]
        ctes.append(
            f"pat AS (INSERT INTO {_table(PatternState)} ({', '.join(columns)}) "
            f"SELECT v.* FROM sub, (VALUES {values_sql}) AS v({', '.join(columns)}) "
            f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {_update_set(columns, conflict)} "
            "RETURNING id, root_cause, subtype)"
        )
        for r in rows:
            params += r.params
        changed = {} if history is None else history.patterns
        history_rows = [
            (values, changed[(values["root_cause"], values["subtype"])])
            for values in patterns
            if (values["root_cause"], values["subtype"]) in changed
        ]
        if history is not None and history_rows:
            sql, history_params = _history_cte(
                name="pat_history",
                model=PatternState,
                source="pat",
                keys=["root_cause", "subtype"],
                rows=history_rows,
                history=history,
            )
            ctes.append(sql)
            params += history_params
    if extra is not None:
        ctes += extra.ctes
        params += extra.params
    diagnosis_select = "(SELECT id FROM diag)" if diagnosis is not None else "NULL::bigint"
    # Data-modifying CTEs run to completion whether or not the final SELECT reads them.
    sql = f"WITH {', '.join(ctes)} SELECT (SELECT id FROM sub), {diagnosis_select}"
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        submission_id, diagnosis_id = cursor.fetchone()
    return WriteResult(submission_id=submission_id, diagnosis_id=diagnosis_id)
