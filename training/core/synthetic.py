"""Synthetic failed submissions with planted bugs of known (root cause, subtype) (000 §1.3).

Every failed attempt is real code in Python, C++, Java or JavaScript that carries one planted bug
of its subtype, written from a template with random identifiers, literals and variations; a
share of attempts also carries a harmless look-alike of another root cause (ambiguity) or of a
sibling subtype (intra-root variation), written in one of the distractor styles. Learners have
weak subtypes they repeat, retry a problem with small edits minutes apart and often end with
the fixed code. Same seed, same bytes: only seeded ``random.Random`` instances are used.

The template mini-language: ``$name`` is an identifier (or, for ``K``/``L``/``M``/``B``, a
literal) chosen per draft from a pool for its role (the name without trailing digits);
``‹a¦b›`` is a variation picked per draft; ``«bug¦fix»`` is the planted bug and its fix; a line
holding only ``@CALLS`` is where the main function calls the distractor helper.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from diagnosis.core.taxonomy import ALL_SUBTYPES, ROOT_CAUSES, ROOT_OF_SUBTYPE, subtypes_of

VERDICTS: tuple[str, ...] = (
    "accepted",
    "wrong_answer",
    "time_limit_exceeded",
    "memory_limit_exceeded",
    "runtime_error",
    "compilation_error",
)
FAILED_VERDICTS: tuple[str, ...] = VERDICTS[1:]
LANGUAGES: tuple[str, ...] = ("python", "cpp", "java", "javascript")
DISTRACTOR_STYLES: tuple[str, ...] = ("flat", "nested", "recursion", "indexing", "mixed")
DEFAULT_START = datetime(2026, 1, 5, tzinfo=UTC)

WA, TLE, MLE, RE, CE = FAILED_VERDICTS

# How often each subtype is planted relative to the others (off-by-one is common, leaks rare).
SUBTYPE_WEIGHTS: dict[str, float] = {
    "off_by_one": 1.4,
    "boundary_condition": 1.3,
    "comparison_error": 1.0,
    "wrong_invariant": 0.9,
    "partial_case_handling": 1.0,
    "wrong_complexity": 1.2,
    "suboptimal_data_structure": 0.9,
    "redundant_operations": 0.8,
    "missing_memoization": 0.8,
    "null_reference": 0.9,
    "type_mismatch": 1.0,
    "state_mutation": 0.8,
    "resource_leak": 0.5,
    "misread_constraints": 0.9,
    "wrong_problem_entirely": 0.6,
    "missing_requirements": 0.8,
}
# The judge's usual verdict for a subtype; a template may override it (a C++ type mismatch does
# not compile, an unflushed Java writer gives a wrong answer).
_DEFAULT_VERDICTS: dict[str, tuple[tuple[str, float], ...]] = {
    "off_by_one": ((WA, 3.0), (RE, 1.0)),
    "boundary_condition": ((WA, 1.0), (RE, 1.0)),
    "comparison_error": ((WA, 1.0),),
    "wrong_invariant": ((WA, 1.0),),
    "partial_case_handling": ((WA, 1.0),),
    "wrong_complexity": ((TLE, 5.0), (MLE, 1.0)),
    "suboptimal_data_structure": ((TLE, 6.0), (MLE, 1.0)),
    "redundant_operations": ((TLE, 1.0),),
    "missing_memoization": ((TLE, 4.0), (MLE, 1.0)),
    "null_reference": ((RE, 1.0),),
    "type_mismatch": ((RE, 1.0),),
    "state_mutation": ((WA, 3.0), (RE, 2.0)),
    "resource_leak": ((RE, 2.0), (MLE, 1.0)),
    "misread_constraints": ((WA, 4.0), (RE, 1.0)),
    "wrong_problem_entirely": ((WA, 1.0),),
    "missing_requirements": ((WA, 1.0),),
}

# Learner behaviour. Not part of SyntheticConfig: changing them changes what "realistic" means,
# not a knob a benchmark run should turn.
_WEAK_SUBTYPE_SHARE = 0.55  # share of a learner's bugs drawn from their own weak subtypes
_SAME_DRAFT_RETRY = 0.62  # a retry edits the previous code a little and keeps the bug
_SAME_SUBTYPE_RETRY = 0.84  # ... else rewrites with another template of the same subtype
_ABANDON_AFTER_FAIL = 0.10
_MAX_SESSION_ATTEMPTS = 12
_PRIMARY_LANGUAGE_SHARE = 0.85
_HARMLESS_ACCEPTED_RATE = 0.30
_FAMILY_MATCH_WEIGHT = 3.0
_SKILL_SPREAD = 0.08


@dataclass(frozen=True)
class SyntheticConfig:
    """Generator settings; the realism controls (first three) are 000 §1.3's."""

    # Share of failed attempts whose code also carries a harmless pattern typical of another
    # root cause, and share carrying one of a sibling subtype of the same root cause.
    ambiguous_template_rate: float = 0.40
    intra_root_template_rate: float = 0.20
    distractor_styles: tuple[str, ...] = DISTRACTOR_STYLES
    # Sampling weights by repetition; Python carries every subtype.
    languages: tuple[str, ...] = ("python", "python", "python", "cpp", "java", "javascript")
    problems: int = 60
    attempts_per_learner: tuple[int, int] = (8, 30)
    accepted_rate: float = 0.35
    # Share of failed attempts whose verdict is not one typical of their subtype.
    label_noise_rate: float = 0.05
    start: datetime = DEFAULT_START
    days: int = 120


DEFAULT_CONFIG = SyntheticConfig()


@dataclass(frozen=True)
class SyntheticProblem:
    external_id: str
    title: str
    tags: tuple[str, ...]
    category: str
    difficulty: int


@dataclass(frozen=True)
class SyntheticAttempt:
    """One judged submission; ``template`` and ``distractor`` are for audits, never features."""

    external_id: str
    user_id: str
    problem_id: str
    language: str
    code: str
    verdict: str
    submitted_at: datetime
    root_cause: str | None
    subtype: str | None
    template: str
    distractor: str | None


@dataclass(frozen=True)
class SyntheticDataset:
    problems: tuple[SyntheticProblem, ...]
    attempts: tuple[SyntheticAttempt, ...]

    def class_counts(self) -> dict[str, int]:
        """Failed attempts per ``root/subtype``, every taxonomy pair listed (zeros included)."""
        counts = {f"{ROOT_OF_SUBTYPE[s]}/{s}": 0 for s in ALL_SUBTYPES}
        for attempt in self.attempts:
            if attempt.subtype is not None:
                counts[f"{attempt.root_cause}/{attempt.subtype}"] += 1
        return counts


# ---------------------------------------------------------------------------------------------
# The template mini-language: parse once, render per attempt.

_TOKEN = re.compile(r"\$\$|\$([A-Za-z][A-Za-z0-9]*)|[‹›«»¦]")
_PICKS = 64
# Offsets into a draft's picks for each rendered part, so parts vary independently.
_OFFSET_TEMPLATE, _OFFSET_MAIN, _OFFSET_DECOY, _OFFSET_CALLS = 0, 23, 41, 59


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Choice:
    __slots__ = ("options", "uid")

    def __init__(self, uid: int, options: tuple[tuple[Any, ...], ...]) -> None:
        self.uid = uid
        self.options = options


class _Bug:
    __slots__ = ("bug", "fix")

    def __init__(self, bug: tuple[Any, ...], fix: tuple[Any, ...]) -> None:
        self.bug = bug
        self.fix = fix


@dataclass(frozen=True)
class _Tree:
    nodes: tuple[Any, ...]
    slots: frozenset[str]
    has_bug: bool


def _parse(text: str) -> _Tree:
    """Parse template text into nodes; raises ValueError on unbalanced markers."""
    stack: list[tuple[str, list[list[Any]]]] = [("", [[]])]
    slots: set[str] = set()
    uid = 0
    has_bug = False
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            stack[-1][1][-1].append(text[pos : match.start()])
        pos = match.end()
        piece = match.group()
        if piece == "$$":
            stack[-1][1][-1].append("$")
        elif match.group(1):
            slots.add(match.group(1))
            stack[-1][1][-1].append(_Slot(match.group(1)))
        elif piece in "‹«":
            stack.append((piece, [[]]))
        elif piece == "¦":
            if len(stack) == 1:
                raise ValueError("¦ outside a choice or bug marker")
            stack[-1][1].append([])
        else:
            opener, options = stack.pop()
            if len(stack) == 0 or opener != ("‹" if piece == "›" else "«"):
                raise ValueError(f"unbalanced {piece!r} in template")
            frozen = tuple(tuple(option) for option in options)
            if piece == "›":
                stack[-1][1][-1].append(_Choice(uid, frozen))
                uid += 1
            else:
                if len(frozen) != 2:
                    raise ValueError("a bug marker needs exactly «bug¦fix»")
                stack[-1][1][-1].append(_Bug(frozen[0], frozen[1]))
                has_bug = True
    if pos < len(text):
        stack[-1][1][-1].append(text[pos:])
    if len(stack) != 1:
        raise ValueError("unclosed marker in template")
    return _Tree(tuple(stack[0][1][0]), frozenset(slots), has_bug)


def _render_nodes(
    nodes: Sequence[Any],
    names: Mapping[str, str],
    picks: Sequence[int],
    offset: int,
    bug: bool,
    out: list[str],
) -> None:
    for node in nodes:
        kind = node.__class__
        if kind is str:
            out.append(node)
        elif kind is _Slot:
            out.append(names[node.name])
        elif kind is _Choice:
            pick = picks[(offset + node.uid) % _PICKS] % len(node.options)
            _render_nodes(node.options[pick], names, picks, offset, bug, out)
        else:
            _render_nodes(node.bug if bug else node.fix, names, picks, offset, bug, out)


def _render(
    tree: _Tree, names: Mapping[str, str], picks: Sequence[int], offset: int, bug: bool
) -> str:
    out: list[str] = []
    _render_nodes(tree.nodes, names, picks, offset, bug, out)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Identifier pools. Python spelling; other languages get camelCase.

_POOLS: dict[str, tuple[str, ...]] = {
    "fn": (
        "solve",
        "compute",
        "answer",
        "process",
        "evaluate",
        "calc",
        "run_case",
        "find_answer",
        "get_result",
        "work",
    ),
    "h": ("helper", "check", "aux", "scan", "probe", "audit", "measure", "inspect", "sanity"),
    "g": ("go", "rec", "ways", "walk", "explore", "count_ways", "calc_ways", "best_from", "f"),
    "find": ("find_index", "locate", "position_of", "search_pos", "lookup", "index_of"),
    "insert": ("insert", "add_node", "put", "push_value", "insert_node", "attach"),
    "height": ("height", "depth_of", "levels", "tree_height", "max_depth"),
    "reader": ("read_all", "load_tokens", "read_tokens", "slurp", "read_words"),
    "cmp": ("cmp", "compare_desc", "by_desc", "greater_first", "order_desc"),
    "Node": ("Node", "TreeNode", "Vertex", "Item", "Cell", "Entry"),
    "arr": ("a", "arr", "nums", "values", "xs", "data", "items", "lst", "seq", "numbers"),
    "items": ("items", "kept", "rest", "pool_list", "remaining", "work_list"),
    "xs": ("xs", "vs", "elems", "points", "src", "sample", "batch"),
    "vals": ("vals", "arr_in", "numbers", "inp", "parsed", "given", "nums_in"),
    "data": ("data", "tokens", "words", "parts", "raw", "buf"),
    "lines": ("lines", "rows", "raw_lines", "text_lines"),
    "i": ("i", "idx", "p", "pos", "ii", "ix"),
    "j": ("j", "jdx", "q", "jj", "jx"),
    "v": ("x", "v", "val", "num", "item", "elem", "cur_val", "e", "w"),
    "x": ("x", "tok", "token", "z", "piece", "t"),
    "y": ("y", "other", "rhs", "b"),
    "acc": ("total", "acc", "s", "res", "ans", "result", "summ", "running", "tot"),
    "r": ("r", "out", "score", "tmp", "agg", "mark", "chk_val"),
    "best": ("best", "mx", "top", "highest", "best_val", "peak", "record"),
    "cnt": ("cnt", "c", "hits", "num", "counter", "tally"),
    "n": ("n", "size", "length", "sz", "m", "count_n"),
    "k": ("k", "target", "limit", "kk", "goal", "need", "budget"),
    "s": ("s", "text", "word", "line", "st", "txt"),
    "t": ("t", "tests", "cases", "tc"),
    "pos": ("pos", "ptr", "cursor", "at", "offset"),
    "out": ("out", "answers", "lines_out", "output", "collected"),
    "freq": ("freq", "counts", "occ", "tally_map", "seen_count", "book"),
    "seen": ("seen", "visited", "used", "have", "marked"),
    "q": ("q", "queue", "frontier", "dq", "pending", "todo"),
    "lo": ("lo", "left", "l", "beg", "low"),
    "hi": ("hi", "right", "r2", "end", "high"),
    "mid": ("mid", "m2", "middle", "center"),
    "memo": ("memo", "cache", "dp", "memo_tbl", "cache_map"),
    "known": ("known", "done_flag", "has_val", "computed"),
    "node": ("node", "cur_node", "nd", "ptr_node"),
    "root": ("root", "tree", "head_node", "top_node"),
    "res": ("res", "result", "ans", "out_val", "value"),
    "cur": ("cur", "current", "now", "run", "here"),
    "pre": ("pre", "prefix", "ps", "cum", "sums"),
    "ordered": ("ordered", "sorted_vals", "srt", "arranged", "b_sorted"),
    "pool": ("pool", "heap", "bag", "store", "buffer"),
    "digits": ("digits", "bits", "chars", "parts_out"),
    "ch": ("ch", "c2", "letter", "symbol"),
    "w": ("w", "wd", "token_w", "piece_w"),
    "grp": ("grp", "group", "bucket", "members"),
    "groups": ("groups", "buckets", "by_first", "index_map"),
    "key": ("key", "k3", "slot", "name"),
    "found": ("found", "hit", "match_val", "where"),
    "p": ("p", "ptr_val", "loc", "where_ptr", "hit_ptr"),
    "first": ("first", "top1", "largest"),
    "second": ("second", "top2", "runner_up"),
    "take": ("take", "inc", "with_cur"),
    "skip": ("skip", "exc", "without_cur"),
    "gv": ("g", "gg", "common", "div"),
    "avg": ("avg", "mean", "average"),
    "spent": ("spent", "used_budget", "cost_so_far"),
    "coin": ("coin", "denom", "c3", "step"),
    "last": ("last", "last_seen", "where_seen"),
    "tails": ("tails", "ends", "piles"),
    "fin": ("fin", "f_in", "infile", "src_f"),
    "fout": ("fout", "f_out", "outfile", "sink_f"),
    "fh": ("fh", "handle", "fp", "stream"),
    "log": ("log", "logf", "trace", "journal"),
    "history": ("history", "trace_list", "snapshots", "events"),
    "counter": ("counter", "seen_counts", "global_freq", "tally_all"),
    "rnd": ("rnd", "rep", "round_no", "sweep"),
    "depth": ("depth", "lvl", "level", "d"),
    "bit": ("bit", "b_i", "shift"),
    "m": ("m", "mp", "table", "dct"),
    "chk": ("chk", "check_val", "dbg", "probe_val"),
    "it": ("it", "entry", "rec", "obj"),
    "kind": ("kind", "typ", "op", "cmd"),
    "nq": ("queries", "qs", "num_queries", "nq"),
    "nxt": ("nxt", "to", "dest", "next_pos"),
    "dist": ("dist", "steps", "distance", "d2"),
    "sb": ("sb", "builder", "out_sb"),
    "br": ("br", "reader", "in_reader", "rd"),
    "st": ("st", "tok_st", "tokenizer"),
    "sc": ("sc", "scanner", "in_sc"),
    "pw": ("pw", "writer", "out_w"),
    "fd": ("fd", "handle_fd", "log_fd"),
    "timer": ("timer", "ticker", "interval", "heartbeat"),
    "done": ("done", "ticks", "beats"),
    "head": ("head", "top_ptr", "front"),
    "old": ("old", "gone", "popped"),
    "same": ("same", "matches", "occ_n"),
    "ok": ("ok", "is_peak", "good"),
    "left": ("left", "prev_val", "before", "lhs_val", "west"),
    "right": ("right", "next_val", "after", "rhs_val", "east"),
    "sums": ("sums", "pair_sums", "all_sums", "totals"),
    "distinct": ("distinct", "uniq", "unique_vals"),
    "top": ("top", "mx2", "peak_val"),
    "total": ("total", "sum_all", "grand"),
    "label": ("label", "tag", "caption"),
    "copy": ("dup", "clone", "work", "snapshot"),
    "sink": ("sink", "devnull", "null_out"),
    "mode": ("mode", "flag", "variant"),
    "sub": ("sub", "rest_best", "inner"),
    "ans": ("ans", "answer_val", "outcome"),
}
_NUMERIC: dict[str, tuple[int, ...]] = {
    "K": tuple(range(2, 10)),
    "L": (10, 16, 20, 32, 50, 64, 100),
    "M": (1_000_000_007, 998_244_353),
    "B": (1000, 5000, 100_000),
}
# Names a slot may never take: keywords, builtins and std names the templates call, and the
# fixed names of the boilerplate helpers below.
_RESERVED_COMMON = frozenset(
    {"main", "Main", "gcd", "MOD", "INF", "debug", "clamp", "read_ints", "readInts", "euclid"}
    | {"is_prime", "isPrime", "ll", "gcdll", "chmax", "all", "fs", "sys", "re", "heapq"}
    | {"val", "left", "right", "next", "value", "index", "p", "q"}
)
_RESERVED: dict[str, frozenset[str]] = {
    "python": frozenset({"next", "sum", "max", "min", "len", "list", "dict", "set", "str", "int"}),
    "cpp": frozenset(
        {"count", "find", "max", "min", "sort", "swap", "data", "size", "end", "begin", "next"}
        | {"distance", "search", "merge", "reverse", "remove", "rank", "div", "log", "y1", "copy"}
        | {"accumulate", "hash", "exp", "round", "abs", "partition", "rotate", "fill", "tmp"}
    ),
    "java": frozenset({"record", "var", "yield", "String", "Integer", "List", "Map", "Set"}),
    "javascript": frozenset({"process", "arguments", "eval", "name", "Map", "Set", "String"}),
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _build_pools() -> dict[str, dict[str, tuple[str, ...]]]:
    pools: dict[str, dict[str, tuple[str, ...]]] = {}
    for language in LANGUAGES:
        reserved = _RESERVED_COMMON | _RESERVED[language]
        by_role: dict[str, tuple[str, ...]] = {}
        for role, names in _POOLS.items():
            spelled = names if language == "python" else tuple(_camel(n) for n in names)
            by_role[role] = tuple(n for n in spelled if n not in reserved)
        pools[language] = by_role
    return pools


_LANGUAGE_POOLS = _build_pools()


def _role(slot: str) -> str:
    return slot.rstrip("0123456789")


def _assign_names(
    slots: Iterable[str], language: str, rng: random.Random, names: dict[str, str]
) -> None:
    """Give every slot not yet named a distinct identifier (or a literal) for its role."""
    used = set(names.values())
    pools = _LANGUAGE_POOLS[language]
    for slot in sorted(set(slots) - names.keys()):
        role = _role(slot)
        if role in _NUMERIC:
            names[slot] = str(rng.choice(_NUMERIC[role]))
            continue
        pool = pools.get(role)
        if not pool:
            raise KeyError(f"no identifier pool for template slot ${slot}")
        free = [name for name in pool if name not in used]
        name = rng.choice(free) if free else f"{pool[0]}{len(used)}"
        names[slot] = name
        used.add(name)


# ---------------------------------------------------------------------------------------------
# Bug templates. Each renders a planted bug («bug¦fix») of its subtype and, with bug=False, the
# correct code an accepted retry submits. ``sig`` names the main function that calls ``$fn``
# ("own": the template brings its own main).

_FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    # family (= problem category): (tags, primary first; titles; base difficulty)
    "arrays": (
        ("arrays", "prefix_sum", "implementation"),
        ("Running Totals", "Balanced Ledger", "Peak Finder", "Stock Span", "Plateau Length"),
        3,
    ),
    "strings": (
        ("strings", "implementation"),
        ("Palindrome Check", "Vowel Census", "Word Groups", "Circular Letters", "Unique Letters"),
        3,
    ),
    "sorting": (
        ("sorting", "greedy"),
        ("Median Badge", "Sorted Positions", "Largest Pair Product", "Ranked Scores"),
        4,
    ),
    "binary_search": (
        ("binary_search", "sorting"),
        ("Lower Fence", "Threshold Count", "Target Index"),
        5,
    ),
    "dp": (
        ("dp", "recursion"),
        ("Stair Climber", "Coin Purse", "Subset Ways", "Fibonacci Tower", "House Guard"),
        6,
    ),
    "graphs": (("graphs", "bfs"), ("Jump Game", "Frog Hops", "Signal Relay", "Island Peaks"), 6),
    "hashing": (
        ("hashing", "counting"),
        ("Pair Sums", "Distinct Stamps", "Frequent Visitor", "Echo Pairs"),
        4,
    ),
    "math": (
        ("math", "number_theory"),
        ("Digit Sum", "Common Divisor", "Binary Form", "Average Grade", "Square Sums"),
        3,
    ),
    "two_pointers": (
        ("two_pointers", "sliding_window"),
        ("Budget Window", "Pair Budget", "Best Streak"),
        5,
    ),
    "queries": (
        ("data_structures", "queries", "implementation"),
        ("Update and Query", "Stack Ledger", "Range Keeper"),
        5,
    ),
    "trees": (("trees", "dfs", "recursion"), ("Tree Height", "BST Builder", "Deep Roots"), 6),
    "greedy": (
        ("greedy", "sorting"),
        ("Shopping Budget", "Coin Change Greedy", "Festival Tickets"),
        4,
    ),
}
_SIGS = ("arr", "arr_k", "n", "str", "multi", "own")
_LANG_CODE = {"python": "py", "cpp": "cpp", "java": "java", "javascript": "js"}


@dataclass(frozen=True)
class _Template:
    id: str
    subtype: str
    language: str
    family: str
    sig: str
    tree: _Tree
    verdicts: tuple[tuple[str, float], ...]


_TEMPLATES: list[_Template] = []


def _add(
    language: str,
    subtype: str,
    family: str,
    sig: str,
    text: str,
    verdicts: Mapping[str, float] | None = None,
) -> None:
    if subtype not in ROOT_OF_SUBTYPE or family not in _FAMILIES or sig not in _SIGS:
        raise ValueError(f"bad template registration {subtype}/{family}/{sig}")
    tree = _parse(text.strip("\n") + "\n")
    if not tree.has_bug:
        raise ValueError(f"template for {subtype} plants no bug")
    number = sum(1 for t in _TEMPLATES if t.language == language and t.subtype == subtype) + 1
    _TEMPLATES.append(
        _Template(
            id=f"{_LANG_CODE[language]}/{subtype}/{number}",
            subtype=subtype,
            language=language,
            family=family,
            sig=sig,
            tree=tree,
            verdicts=tuple(verdicts.items()) if verdicts else _DEFAULT_VERDICTS[subtype],
        )
    )


def _py(subtype: str, family: str, sig: str, text: str, verdicts: Any = None) -> None:
    _add("python", subtype, family, sig, text, verdicts)


# -- Python: correctness ------------------------------------------------------------------------

_py(
    "off_by_one",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    $acc = 0
    for $i in range(«len($arr) - 1¦len($arr)»):
        $acc += $arr[$i]
    return $acc
""",
    {WA: 1},
)
_py(
    "off_by_one",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    $cnt = 0
    for $i in range(«len($arr)¦len($arr) - 1»):
        if $arr[$i + 1] ‹>¦<› $arr[$i]:
            $cnt += 1
    return $cnt
""",
    {RE: 1},
)
_py(
    "off_by_one",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    if not $arr:
        return 0
    $best = $arr[0]
    $i = 1
    while $i «<=¦<» len($arr):
        if $arr[$i] > $best:
            $best = $arr[$i]
        $i += 1
    return $best
""",
    {RE: 1},
)
_py(
    "off_by_one",
    "two_pointers",
    "arr_k",
    r"""
def $fn($arr, $k):
    if $k > len($arr) or $k <= 0:
        return 0
    $cur = sum($arr[:$k])
    $best = $cur
    for $i in range($k, «len($arr) - 1¦len($arr)»):
        $cur += $arr[$i] - $arr[$i - $k]
        $best = max($best, $cur)
    return $best
""",
    {WA: 1},
)
_py(
    "off_by_one",
    "math",
    "n",
    r"""
def $fn($n):
    $acc = 0
    for $i in range(1, «$n¦$n + 1»):
        $acc += $i * $i
    return $acc
""",
    {WA: 1},
)
_py(
    "off_by_one",
    "strings",
    "str",
    r"""
def $fn($s):
    $lo = 0
    $hi = len($s)«¦ - 1»
    while $lo < $hi:
        if $s[$lo] != $s[$hi]:
            return "NO"
        $lo += 1
        $hi -= 1
    return "YES"
""",
    {RE: 1},
)
_py(
    "off_by_one",
    "binary_search",
    "arr_k",
    r"""
def $fn($arr, $k):
    $arr = sorted($arr)
    $lo, $hi = 0, len($arr)«¦ - 1»
    while $lo <= $hi:
        $mid = ($lo + $hi) // 2
        if $arr[$mid] == $k:
            return $mid + 1
        if $arr[$mid] < $k:
            $lo = $mid + 1
        else:
            $hi = $mid - 1
    return -1
""",
    {WA: 1, RE: 1},
)
_py(
    "off_by_one",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # prefixes with a positive sum
    $pre = [0] * (len($arr) + 1)
    for $i in range(len($arr)):
        $pre[$i + 1] = $pre[$i] + $arr[$i]
    return sum(1 for $j in range(«len($arr)¦1, len($arr) + 1») if $pre[$j] > 0)
""",
    {WA: 1},
)

_py(
    "boundary_condition",
    "arrays",
    "arr",
    r"""
def $fn($arr):
«¦    if not $arr:
        return 0
»    $best = $arr[0]
    for $v in $arr:
        ‹if $v > $best:
            $best = $v¦$best = max($best, $v)›
    return $best
""",
    {RE: 1},
)
_py(
    "boundary_condition",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # largest jump between neighbours
«¦    if len($arr) < 2:
        return 0
»    return max(abs($arr[$i + 1] - $arr[$i]) for $i in range(len($arr) - 1))
""",
    {RE: 1},
)
_py(
    "boundary_condition",
    "math",
    "arr",
    r"""
def $fn($arr):
«¦    if len($arr) == 0:
        return 0
»    return sum($arr) // len($arr)
""",
    {RE: 1},
)
_py(
    "boundary_condition",
    "sorting",
    "arr_k",
    r"""
def $fn($arr, $k):
    # smallest value that is at least k
    $arr = sorted($arr)
«¦    if not $arr:
        return -1
»    if $arr[-1] < $k:
        return -1
    for $v in $arr:
        if $v >= $k:
            return $v
    return -1
""",
)
_py(
    "boundary_condition",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # number of runs of equal neighbours
«¦    if not $arr:
        return 0
»    $cnt = «0¦1»
    for $i in range(«0¦1», len($arr)):
        if $arr[$i] != $arr[$i - 1]:
            $cnt += 1
    return $cnt
""",
    {WA: 1},
)
_py(
    "boundary_condition",
    "graphs",
    "arr",
    r"""
def $fn($arr):
    # strict local peaks, the ends compare with one neighbour
    $cnt = 0
    for $i in range(len($arr)):
        $left = «$arr[$i - 1]¦$arr[$i - 1] if $i > 0 else float("-inf")»
        $right = «$arr[$i + 1]¦$arr[$i + 1] if $i + 1 < len($arr) else float("-inf")»
        if $arr[$i] > $left and $arr[$i] > $right:
            $cnt += 1
    return $cnt
""",
    {RE: 1},
)
_py(
    "boundary_condition",
    "strings",
    "str",
    r"""
def $fn($s):
    # equal neighbours in a circular string
«¦    if len($s) < 2:
        return 0
»    $cnt = 1 if $s[0] == $s[-1] else 0
    for $i in range(len($s) - 1):
        if $s[$i] == $s[$i + 1]:
            $cnt += 1
    return $cnt
""",
)

_py(
    "comparison_error",
    "arrays",
    "arr_k",
    r"""
def $fn($arr, $k):
    # how many values are at least k
    return sum(1 for $v in $arr if $v «>¦>=» $k)
""",
)
_py(
    "comparison_error",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # the minimum
    if not $arr:
        return 0
    $best = $arr[0]
    for $v in $arr:
        if $v «>¦<» $best:
            $best = $v
    return $best
""",
)
_py(
    "comparison_error",
    "binary_search",
    "arr_k",
    r"""
def $fn($arr, $k):
    # how many values are strictly smaller than k
    $arr = sorted($arr)
    $lo, $hi = 0, len($arr)
    while $lo < $hi:
        $mid = ($lo + $hi) // 2
        if $arr[$mid] «<=¦<» $k:
            $lo = $mid + 1
        else:
            $hi = $mid
    return $lo
""",
)
_py(
    "comparison_error",
    "two_pointers",
    "arr_k",
    r"""
def $fn($arr, $k):
    # pairs i < j with arr[i] + arr[j] <= k
    $arr = sorted($arr)
    $lo, $hi = 0, len($arr) - 1
    $cnt = 0
    while $lo «<=¦<» $hi:
        if $arr[$lo] + $arr[$hi] «<¦<=» $k:
            $cnt += $hi - $lo
            $lo += 1
        else:
            $hi -= 1
    return $cnt
""",
)
_py(
    "comparison_error",
    "sorting",
    "arr",
    r"""
def $fn($arr):
    # is the sequence non-decreasing?
    for $i in range(len($arr) - 1):
        if $arr[$i] «>=¦>» $arr[$i + 1]:
            return "NO"
    return "YES"
""",
)
_py(
    "comparison_error",
    "math",
    "arr",
    r"""
def $fn($arr):
    # values strictly above the average
    if not $arr:
        return 0
    $avg = sum($arr) / len($arr)
    return sum(1 for $v in $arr if $v «>=¦>» $avg)
""",
)
_py(
    "comparison_error",
    "greedy",
    "arr_k",
    r"""
def $fn($arr, $k):
    # most items whose total cost stays within the budget k
    $spent = 0
    $cnt = 0
    for $v in sorted($arr):
        if $spent + $v «<¦<=» $k:
            $spent += $v
            $cnt += 1
    return $cnt
""",
)

_py(
    "wrong_invariant",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # largest sum of a non-empty subarray
    if not $arr:
        return 0
    $best = $arr[0]
    $cur = 0
    for $v in $arr:
«        $cur += $v
        if $cur < 0:
            $cur = 0
        $best = max($best, $cur)
¦        $cur = max($v, $cur + $v)
        $best = max($best, $cur)
»    return $best
""",
)
_py(
    "wrong_invariant",
    "arrays",
    "arr_k",
    r"""
def $fn($arr, $k):
    # prefixes whose sum reaches k
    $cnt = 0
«¦    $acc = 0
»    for $v in $arr:
«        $acc = 0
¦»        $acc += $v
        if $acc >= $k:
            $cnt += 1
    return $cnt
""",
)
_py(
    "wrong_invariant",
    "two_pointers",
    "arr_k",
    r"""
def $fn($arr, $k):
    # longest window with sum at most k (the values are non-negative)
    $lo = 0
    $acc = 0
    $best = 0
    for $hi in range(len($arr)):
        $acc += $arr[$hi]
«        $best = max($best, $hi - $lo + 1)
        while $acc > $k and $lo <= $hi:
            $acc -= $arr[$lo]
            $lo += 1
¦        while $acc > $k and $lo <= $hi:
            $acc -= $arr[$lo]
            $lo += 1
        $best = max($best, $hi - $lo + 1)
»    return $best
""",
)
_py(
    "wrong_invariant",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # values strictly greater than everything before them
    $cnt = 0
    $best = float("-inf")
    for $v in $arr:
«        $best = max($best, $v)
        if $v > $best:
            $cnt += 1
¦        if $v > $best:
            $cnt += 1
        $best = max($best, $v)
»    return $cnt
""",
)
_py(
    "wrong_invariant",
    "math",
    "arr",
    r"""
from math import gcd


def $fn($arr):
    $gv = «1¦0»
    for $v in $arr:
        $gv = gcd($gv, $v)
    return $gv
""",
)
_py(
    "wrong_invariant",
    "hashing",
    "arr_k",
    r"""
def $fn($arr, $k):
    # pairs i < j with arr[i] + arr[j] == k
    $freq = {}
    $cnt = 0
    for $v in $arr:
«        $freq[$v] = $freq.get($v, 0) + 1
        $cnt += $freq.get($k - $v, 0)
¦        $cnt += $freq.get($k - $v, 0)
        $freq[$v] = $freq.get($v, 0) + 1
»    return $cnt
""",
)
_py(
    "wrong_invariant",
    "dp",
    "arr",
    r"""
def $fn($arr):
    # best sum of values with no two neighbours taken
    $take, $skip = 0, 0
    for $v in $arr:
«        $take = $skip + $v
        $skip = max($take, $skip)
¦        $take, $skip = $skip + $v, max($take, $skip)
»    return max($take, $skip)
""",
)

_py(
    "partial_case_handling",
    "sorting",
    "arr",
    r"""
def $fn($arr):
    # largest product of two values
    $arr = sorted($arr)
«    return $arr[-1] * $arr[-2]
¦    return max($arr[-1] * $arr[-2], $arr[0] * $arr[1])
»""",
)
_py(
    "partial_case_handling",
    "math",
    "n",
    r"""
def $fn($n):
    # digit sum
«¦    $n = abs($n)
»    $acc = 0
    while $n > 0:
        $acc += $n % 10
        $n //= 10
    return $acc
""",
)
_py(
    "partial_case_handling",
    "math",
    "n",
    r"""
def $fn($n):
    # binary representation
«¦    if $n == 0:
        return "0"
»    $digits = []
    while $n > 0:
        $digits.append(str($n % 2))
        $n //= 2
    return "".join(reversed($digits))
""",
)
_py(
    "partial_case_handling",
    "sorting",
    "arr",
    r"""
def $fn($arr):
    # median (the mean of the middle two for an even count)
    $arr = sorted($arr)
    $n = len($arr)
«    return $arr[$n // 2]
¦    if $n % 2 == 1:
        return $arr[$n // 2]
    return ($arr[$n // 2 - 1] + $arr[$n // 2]) / 2
»""",
)
_py(
    "partial_case_handling",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # second largest distinct value, -1 if there is none
    $first = None
    $second = None
    for $v in $arr:
        if $first is None or $v > $first:
            $second = $first
            $first = $v
        elif «¦$v != $first and »($second is None or $v > $second):
            $second = $v
    return -1 if $second is None else $second
""",
)
_py(
    "partial_case_handling",
    "strings",
    "str",
    r"""
def $fn($s):
    # vowels in either case
    return sum(1 for $ch in $s«¦.lower()» if $ch in "aeiou")
""",
)
_py(
    "partial_case_handling",
    "greedy",
    "arr",
    r"""
def $fn($arr):
    # coins (25, 10, 5, 1) needed for every amount; amounts below 1 cost nothing
    $acc = 0
    for $v in $arr:
«¦        if $v <= 0:
            continue
»        for $coin in (25, 10, 5, 1):
            $acc += $v // $coin
            $v %= $coin
    return $acc
""",
)

# -- Python: efficiency -------------------------------------------------------------------------

_py(
    "wrong_complexity",
    "hashing",
    "arr_k",
    r"""
def $fn($arr, $k):
    # pairs i < j with arr[i] + arr[j] == k
«    $cnt = 0
    for $i in range(len($arr)):
        for $j in range($i + 1, len($arr)):
            if $arr[$i] + $arr[$j] == $k:
                $cnt += 1
    return $cnt
¦    $freq = {}
    $cnt = 0
    for $v in $arr:
        $cnt += $freq.get($k - $v, 0)
        $freq[$v] = $freq.get($v, 0) + 1
    return $cnt
»""",
)
_py(
    "wrong_complexity",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # largest sum of a non-empty subarray
    if not $arr:
        return 0
«    $best = $arr[0]
    for $i in range(len($arr)):
        for $j in range($i, len($arr)):
            $best = max($best, sum($arr[$i:$j + 1]))
    return $best
¦    $best = $cur = $arr[0]
    for $v in $arr[1:]:
        $cur = max($v, $cur + $v)
        $best = max($best, $cur)
    return $best
»""",
)
_py(
    "wrong_complexity",
    "sorting",
    "arr",
    r"""
from bisect import bisect_left


def $fn($arr):
    # for every value, how many values are smaller; the total
«    $acc = 0
    for $x in $arr:
        for $y in $arr:
            if $y < $x:
                $acc += 1
    return $acc
¦    $ordered = sorted($arr)
    return sum(bisect_left($ordered, $x) for $x in $arr)
»""",
)
_py(
    "wrong_complexity",
    "hashing",
    "arr",
    r"""
def $fn($arr):
    # pairs of equal values
«    $cnt = 0
    for $i in range(len($arr)):
        for $j in range($i):
            if $arr[$j] == $arr[$i]:
                $cnt += 1
    return $cnt
¦    $freq = {}
    $cnt = 0
    for $v in $arr:
        $cnt += $freq.get($v, 0)
        $freq[$v] = $freq.get($v, 0) + 1
    return $cnt
»""",
)
_py(
    "wrong_complexity",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # largest sum of two different positions
«    $sums = [$x + $y for $i, $x in enumerate($arr) for $y in $arr[$i + 1:]]
    return max($sums)
¦    $ordered = sorted($arr)
    return $ordered[-1] + $ordered[-2]
»""",
    {MLE: 3, TLE: 1},
)
_py(
    "wrong_complexity",
    "dp",
    "arr",
    r"""
from bisect import bisect_left


def $fn($arr):
    # longest strictly increasing subsequence
«    $best = [1] * len($arr)
    for $i in range(len($arr)):
        for $j in range($i):
            if $arr[$j] < $arr[$i]:
                $best[$i] = max($best[$i], $best[$j] + 1)
    return max($best, default=0)
¦    $tails = []
    for $v in $arr:
        $pos = bisect_left($tails, $v)
        if $pos == len($tails):
            $tails.append($v)
        else:
            $tails[$pos] = $v
    return len($tails)
»""",
)
_py(
    "wrong_complexity",
    "strings",
    "str",
    r"""
def $fn($s):
    # longest substring without a repeated character
«    $best = 0
    for $i in range(len($s)):
        for $j in range($i + 1, len($s) + 1):
            if len(set($s[$i:$j])) == $j - $i:
                $best = max($best, $j - $i)
    return $best
¦    $last = {}
    $lo = 0
    $best = 0
    for $i, $ch in enumerate($s):
        if $ch in $last and $last[$ch] >= $lo:
            $lo = $last[$ch] + 1
        $last[$ch] = $i
        $best = max($best, $i - $lo + 1)
    return $best
»""",
)

_py(
    "suboptimal_data_structure",
    "hashing",
    "arr",
    r"""
def $fn($arr):
    # number of distinct values
    $seen = «[]¦set()»
    for $v in $arr:
        if $v not in $seen:
            $seen.«append¦add»($v)
    return len($seen)
""",
)
_py(
    "suboptimal_data_structure",
    "graphs",
    "arr",
    r"""
«¦from collections import deque


»def $fn($arr):
    # fewest jumps from the first to the last cell, jumping arr[i] left or right
    if not $arr:
        return -1
    $q = «[0]¦deque([0])»
    $dist = {0: 0}
    while $q:
        $cur = $q.«pop(0)¦popleft()»
        if $cur == len($arr) - 1:
            return $dist[$cur]
        for $nxt in ($cur + $arr[$cur], $cur - $arr[$cur]):
            if 0 <= $nxt < len($arr) and $nxt not in $dist:
                $dist[$nxt] = $dist[$cur] + 1
                $q.append($nxt)
    return -1
""",
)
_py(
    "suboptimal_data_structure",
    "strings",
    "arr",
    r"""
def $fn($arr):
    # the values in reverse order
«    $out = ""
    for $v in reversed($arr):
        $out += str($v) + " "
    return $out.strip()
¦    $out = []
    for $v in reversed($arr):
        $out.append(str($v))
    return " ".join($out)
»""",
)
_py(
    "suboptimal_data_structure",
    "hashing",
    "arr",
    r"""
def $fn($arr):
    # most frequent value, the smallest on ties
«    $best = None
    for $v in $arr:
        if $best is None or $arr.count($v) > $arr.count($best) or (
            $arr.count($v) == $arr.count($best) and $v < $best
        ):
            $best = $v
    return $best
¦    $freq = {}
    for $v in $arr:
        $freq[$v] = $freq.get($v, 0) + 1
    return min($freq, key=lambda $key: (-$freq[$key], $key)) if $freq else None
»""",
)
_py(
    "suboptimal_data_structure",
    "greedy",
    "arr",
    r"""
import heapq


def $fn($arr):
    # total cost of merging everything, two smallest at a time
    $pool = list($arr)
«    $acc = 0
    while len($pool) > 1:
        $first = min($pool)
        $pool.remove($first)
        $second = min($pool)
        $pool.remove($second)
        $acc += $first + $second
        $pool.append($first + $second)
    return $acc
¦    heapq.heapify($pool)
    $acc = 0
    while len($pool) > 1:
        $first = heapq.heappop($pool)
        $second = heapq.heappop($pool)
        $acc += $first + $second
        heapq.heappush($pool, $first + $second)
    return $acc
»""",
)
_py(
    "suboptimal_data_structure",
    "graphs",
    "arr",
    r"""
def $fn($arr):
    # cells visited following i -> arr[i] mod n from cell 0
    if not $arr:
        return 0
    $seen = «[]¦set()»
    $cur = 0
    while $cur not in $seen:
        $seen.«append¦add»($cur)
        $cur = $arr[$cur] % len($arr)
    return len($seen)
""",
)

_py(
    "redundant_operations",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # positions whose value equals the sum of everything before
    $cnt = 0
«    for $i in range(len($arr)):
        if $arr[$i] == sum($arr[:$i]):
            $cnt += 1
¦    $pre = 0
    for $v in $arr:
        if $v == $pre:
            $cnt += 1
        $pre += $v
»    return $cnt
""",
)
_py(
    "redundant_operations",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # sum over positions of the maximum so far
    $acc = 0
«    for $i in range(len($arr)):
        $acc += max($arr[:$i + 1])
¦    $best = float("-inf")
    for $v in $arr:
        $best = max($best, $v)
        $acc += $best
»    return $acc
""",
)
_py(
    "redundant_operations",
    "sorting",
    "arr_k",
    r"""
def $fn($arr, $k):
    # sum of the k largest values
«    $pool = []
    $acc = 0
    for $v in $arr:
        $pool.append($v)
        $pool.sort(reverse=True)
        $acc = sum($pool[:$k])
    return $acc
¦    return sum(sorted($arr, reverse=True)[:$k])
»""",
)
_py(
    "redundant_operations",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # 1-indexed positions of the maximum
    if not $arr:
        return ""
    $out = []
«    for $i in range(len($arr)):
        if $arr[$i] == max($arr):
¦    $top = max($arr)
    for $i in range(len($arr)):
        if $arr[$i] == $top:
»            $out.append(str($i + 1))
    return " ".join($out)
""",
)
_py(
    "redundant_operations",
    "strings",
    "str",
    r"""
def $fn($s):
    # pairs of equal characters i < j
    $acc = 0
«    for $i in range(len($s)):
        $acc += $s[:$i].count($s[$i])
¦    $freq = {}
    for $ch in $s:
        $acc += $freq.get($ch, 0)
        $freq[$ch] = $freq.get($ch, 0) + 1
»    return $acc
""",
)
_py(
    "redundant_operations",
    "math",
    "n",
    r"""
from math import factorial


def $fn($n):
    # sum of C(n, i) over i, modulo M
«    $acc = 0
    for $i in range($n + 1):
        $acc += factorial($n) // (factorial($i) * factorial($n - $i))
    return $acc % $M
¦    return pow(2, $n, $M)
»""",
)

_py(
    "missing_memoization",
    "dp",
    "n",
    r"""
from functools import lru_cache


def $fn($n):
«¦    @lru_cache(maxsize=None)
»    def $g($k):
        if $k < 2:
            return $k
        return ($g($k - 1) + $g($k - 2)) % $M

    return $g($n)
""",
)
_py(
    "missing_memoization",
    "dp",
    "n",
    r"""
def $fn($n):
    # ways to climb n stairs taking one or two at a time
«¦    $memo = {}

»    def $g($k):
        if $k <= 1:
            return 1
«¦        if $k in $memo:
            return $memo[$k]
»        $res = ($g($k - 1) + $g($k - 2)) % $M
«¦        $memo[$k] = $res
»        return $res

    return $g($n)
""",
)
_py(
    "missing_memoization",
    "dp",
    "arr_k",
    r"""
def $fn($arr, $k):
    # subsets summing to k
«¦    $memo = {}

»    def $g($i, $acc):
        if $acc == 0:
            return 1
        if $i == len($arr) or $acc < 0:
            return 0
«¦        if ($i, $acc) in $memo:
            return $memo[($i, $acc)]
»        $res = $g($i + 1, $acc) + $g($i + 1, $acc - $arr[$i])
«¦        $memo[($i, $acc)] = $res
»        return $res

    return $g(0, $k)
""",
)
_py(
    "missing_memoization",
    "dp",
    "str",
    r"""
«‹from functools import lru_cache


¦›¦from functools import lru_cache


»def $fn($s):
    # longest palindromic subsequence
«¦    @lru_cache(maxsize=None)
»    def $g($lo, $hi):
        if $lo > $hi:
            return 0
        if $lo == $hi:
            return 1
        if $s[$lo] == $s[$hi]:
            return 2 + $g($lo + 1, $hi - 1)
        return max($g($lo + 1, $hi), $g($lo, $hi - 1))

    return $g(0, len($s) - 1)
""",
)
_py(
    "missing_memoization",
    "dp",
    "arr_k",
    r"""
def $fn($arr, $k):
    # fewest coins from arr summing to k
«¦    $memo = {}

»    def $g($acc):
        if $acc == 0:
            return 0
        if $acc < 0:
            return float("inf")
«¦        if $acc in $memo:
            return $memo[$acc]
»        $best = float("inf")
        for $coin in $arr:
            if $coin > 0:
                $best = min($best, $g($acc - $coin) + 1)
«¦        $memo[$acc] = $best
»        return $best

    $ans = $g($k)
    return -1 if $ans == float("inf") else $ans
""",
)

# -- Python: implementation ---------------------------------------------------------------------

_py(
    "null_reference",
    "hashing",
    "arr_k",
    r"""
def $fn($arr, $k):
    # 1-indexed first position of k, -1 when absent
    $pos = {}
    for $i, $v in enumerate($arr):
        $pos.setdefault($v, $i)
«    return $pos.get($k) + 1
¦    $found = $pos.get($k)
    return -1 if $found is None else $found + 1
»""",
)
_py(
    "null_reference",
    "strings",
    "str",
    r"""
import re


def $fn($s):
    # the first number in the line
«    return int(re.search(r"\d+", $s).group())
¦    $found = re.search(r"\d+", $s)
    return int($found.group()) if $found‹ is not None¦› else -1
»""",
)
_py(
    "null_reference",
    "arrays",
    "arr_k",
    r"""
def $find($arr, $k):
    for $i, $v in enumerate($arr):
        if $v == $k:
            return $i
«¦    return -1
»

def $fn($arr, $k):
    return $find($arr, $k) + 1
""",
)
_py(
    "null_reference",
    "trees",
    "arr",
    r"""
class $Node:
    def __init__(self, $v):
        self.val = $v
        self.left = None
        self.right = None


def $insert($root, $v):
«¦    if $root ‹is None¦== None›:
        return $Node($v)
»    if $v < $root.val:
        $root.left = $insert($root.left, $v)
    else:
        $root.right = $insert($root.right, $v)
    return $root


def $height($node):
    if $node ‹is None¦== None›:
        return 0
    return 1 + max($height($node.left), $height($node.right))


def $fn($arr):
    $root = None
    for $v in $arr:
        $root = $insert($root, $v)
    return $height($root)
""",
)
_py(
    "null_reference",
    "arrays",
    "arr_k",
    r"""
def $fn($arr, $k):
    # distance from k to the smallest value above it, -1 if none
    $best = None
    for $v in $arr:
        if $v > $k and ($best ‹is None¦== None› or $v < $best):
            $best = $v
«    return $best - $k
¦    return -1 if $best is None else $best - $k
»""",
)
_py(
    "null_reference",
    "hashing",
    "str",
    r"""
def $fn($s):
    # size of the largest group of words sharing a first letter
    $groups = {}
    for $w in $s.split():
«        $groups.get($w[0]).append($w)
¦        $groups.setdefault($w[0], []).append($w)
»    return max((len($grp) for $grp in $groups.values()), default=0)
""",
)

_py(
    "type_mismatch",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    $acc = sum($arr)
«    return "Answer: " + ‹$acc¦sum($arr)›
¦    return "Answer: " + str($acc)
»""",
)
_py(
    "type_mismatch",
    "arrays",
    "own",
    r"""
def main():
    $n = «input()¦int(input())»
    $vals = list(map(int, input().split()))
    @CALLS
    $acc = 0
    for $i in range($n):
        $acc += $vals[$i]
    print($acc)


main()
""",
)
_py(
    "type_mismatch",
    "arrays",
    "own",
    r"""
def main():
    $data = sys.stdin.read().split()
    $k = «$data[0]¦int($data[0])»
    $vals = [int($x) for $x in $data[1:]]
    @CALLS
    print(sum(1 for $v in $vals if $v > $k))


main()
""",
)
_py(
    "type_mismatch",
    "math",
    "own",
    r"""
def main():
    $x = input().strip()
    $y = input().strip()
    print(«$x + $y¦int($x) + int($y)»)


main()
""",
    {WA: 1},
)
_py(
    "type_mismatch",
    "math",
    "arr",
    r"""
def $fn($arr):
    # the average, rounded down
    if not $arr:
        return 0
    return «sum($arr) / len($arr)¦sum($arr) // len($arr)»
""",
    {WA: 1},
)
_py(
    "type_mismatch",
    "math",
    "n",
    r"""
def $fn($n):
    $acc = 0
    for $i in range(«$n / 2¦$n // 2»):
        $acc += $i
    return $acc
""",
)

_py(
    "state_mutation",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # values left after removing the negative ones
    $items = list($arr)
«    for $v in $items:
        if $v < 0:
            $items.remove($v)
¦    $items = [$v for $v in $items if $v >= 0]
»    return len($items)
""",
    {WA: 1},
)
_py(
    "state_mutation",
    "hashing",
    "multi",
    r"""
def $fn($arr, $seen=«set()¦None»):
«¦    if $seen is None:
        $seen = set()
»    $cnt = 0
    for $v in $arr:
        if $v not in $seen:
            $seen.add($v)
            $cnt += 1
    return $cnt
""",
    {WA: 1},
)
_py(
    "state_mutation",
    "graphs",
    "arr",
    r"""
def $fn($arr):
    # nodes reachable from node 0 when i and arr[i] mod n are linked
    if not $arr:
        return 0
    $n = len($arr)
    $m = «[[]] * $n¦[[] for _ in range($n)]»
    for $i, $v in enumerate($arr):
        $m[$i].append($v % $n)
        $m[$v % $n].append($i)
    $seen = {0}
    $q = [0]
    while $q:
        $cur = $q.pop()
        for $nxt in $m[$cur]:
            if $nxt not in $seen:
                $seen.add($nxt)
                $q.append($nxt)
    return len($seen)
""",
    {WA: 1},
)
_py(
    "state_mutation",
    "sorting",
    "arr",
    r"""
def $fn($arr):
    # values already at their sorted position
    $ordered = «$arr¦sorted($arr)»
«    $ordered.sort()
¦»    return sum(1 for $x, $y in zip($arr, $ordered) if $x == $y)
""",
    {WA: 1},
)
_py(
    "state_mutation",
    "hashing",
    "arr",
    r"""
def $fn($arr):
    # values that occur more than once
    $freq = {}
    for $v in $arr:
        $freq[$v] = $freq.get($v, 0) + 1
    for $key in «$freq¦list($freq)»:
        if $freq[$key] == 1:
            ‹del $freq[$key]¦$freq.pop($key)›
    return len($freq)
""",
    {RE: 1},
)
_py(
    "state_mutation",
    "hashing",
    "multi",
    r"""
$counter = {}


def $fn($arr):
    # highest multiplicity in this test case
«¦    $counter.clear()
»    for $v in $arr:
        $counter[$v] = $counter.get($v, 0) + 1
    return max($counter.values(), default=0)
""",
    {WA: 1},
)

_py(
    "resource_leak",
    "arrays",
    "own",
    r"""
def $fn($arr):
    return sum($arr)


def main():
«    $fin = open("input.txt")
    $data = $fin.read().split()
¦    with open("input.txt") as $fin:
        $data = $fin.read().split()
»    $n = int($data[0])
    $vals = [int($x) for $x in $data[1:1 + $n]]
    @CALLS
«    $fout = open("output.txt", "w")
    $fout.write(str($fn($vals)) + "\n")
¦    with open("output.txt", "w") as $fout:
        $fout.write(str($fn($vals)) + "\n")
»

main()
""",
    {WA: 1, RE: 1},
)
_py(
    "resource_leak",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    $acc = 0
    for $v in $arr:
«        $log = open("debug.log", "a")
        $log.write(str($v) + "\n")
¦        with open("debug.log", "a") as $log:
            $log.write(str($v) + "\n")
»        $acc += $v
    return $acc
""",
    {RE: 1},
)
_py(
    "resource_leak",
    "arrays",
    "arr",
    r"""
$history = []


def $fn($arr):
    $acc = 0
    for $i, $v in enumerate($arr):
        $acc += $v
«        $history.append(($i, $acc, list($arr)))
¦»    return $acc
""",
    {MLE: 1},
)
_py(
    "resource_leak",
    "strings",
    "own",
    r"""
def $reader($s):
«    $fh = open($s)
    return $fh.read().split()
¦    with open($s) as $fh:
        return $fh.read().split()
»

def main():
    $data = $reader("input.txt")
    $n = int($data[0])
    $vals = [int($x) for $x in $data[1:1 + $n]]
    @CALLS
    print(max($vals) - min($vals) if $vals else 0)


main()
""",
    {RE: 1},
)

# -- Python: understanding gap ------------------------------------------------------------------

_py(
    "misread_constraints",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # 1-indexed position of the first maximum
    $best = 0
    for $i in range(1, len($arr)):
        if $arr[$i] > $arr[$best]:
            $best = $i
    return $best«¦ + 1»
""",
    {WA: 1},
)
_py(
    "misread_constraints",
    "sorting",
    "own",
    r"""
def main():
    $data = sys.stdin.read().split()
    $n = int($data[0])
    $vals = sorted(int($x) for $x in $data[1:1 + $n])
    @CALLS
«    for $v in $vals:
        print($v)
¦    print(" ".join(map(str, $vals)))
»

main()
""",
    {WA: 1},
)
_py(
    "misread_constraints",
    "arrays",
    "own",
    r"""
def main():
«    $vals = list(map(int, sys.stdin.readline().split()))
¦    $n = int(sys.stdin.readline())
    $vals = list(map(int, sys.stdin.readline().split()))[:$n]
»    @CALLS
    print(sum($vals) - min($vals) if $vals else 0)


main()
""",
)
_py(
    "misread_constraints",
    "math",
    "arr",
    r"""
def $fn($arr):
    # product of the values modulo M
    $acc = 1
    for $v in $arr:
        $acc = $acc * $v«¦ % $M»
    return $acc
""",
    {WA: 1},
)
_py(
    "misread_constraints",
    "greedy",
    "own",
    r"""
def main():
    $data = sys.stdin.read().split()
«    $k, $n = int($data[0]), int($data[1])
¦    $n, $k = int($data[0]), int($data[1])
»    $vals = [int($x) for $x in $data[2:2 + $n]]
    @CALLS
    print(sum(sorted($vals)[:$k]))


main()
""",
    {WA: 1},
)
_py(
    "misread_constraints",
    "math",
    "n",
    r"""
def $fn($n):
    # multiples of K from 1 up to and including n
    return «($n - 1) // $K¦$n // $K»
""",
    {WA: 1},
)

_py(
    "wrong_problem_entirely",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # the sum of the values
«    ‹return max($arr)¦$best = $arr[0]
    for $v in $arr:
        if $v > $best:
            $best = $v
    return $best›
¦    $acc = 0
    for $v in $arr:
        $acc += $v
    return $acc
»""",
)
_py(
    "wrong_problem_entirely",
    "hashing",
    "arr",
    r"""
def $fn($arr):
«    return " ".join(map(str, sorted($arr)))
¦    return len(set($arr))
»""",
)
_py(
    "wrong_problem_entirely",
    "dp",
    "arr",
    r"""
«¦from bisect import bisect_left


»def $fn($arr):
«    $best = $cur = 1 if $arr else 0
    for $i in range(1, len($arr)):
        $cur = $cur + 1 if $arr[$i] > $arr[$i - 1] else 1
        $best = max($best, $cur)
    return $best
¦    $tails = []
    for $v in $arr:
        $pos = bisect_left($tails, $v)
        if $pos == len($tails):
            $tails.append($v)
        else:
            $tails[$pos] = $v
    return len($tails)
»""",
)
_py(
    "wrong_problem_entirely",
    "strings",
    "str",
    r"""
def $fn($s):
«    return $s[::-1]
¦    return "YES" if $s == $s[::-1] else "NO"
»""",
)
_py(
    "wrong_problem_entirely",
    "arrays",
    "arr_k",
    r"""
def $fn($arr, $k):
«    return $arr.count($k)
¦    return $arr.index($k) + 1 if $k in $arr else -1
»""",
)
_py(
    "wrong_problem_entirely",
    "math",
    "n",
    r"""
def $fn($n):
«    return sum(int($ch) for $ch in str($n))
¦    return int(str($n)[::-1])
»""",
)

_py(
    "missing_requirements",
    "queries",
    "own",
    r"""
def main():
    $data = sys.stdin.read().split()
    $n, $nq = int($data[0]), int($data[1])
    $vals = [int($x) for $x in $data[2:2 + $n]]
    $pos = 2 + $n
    $out = []
    for _ in range($nq):
        $kind = $data[$pos]
        if $kind == "1":
            $i, $x = int($data[$pos + 1]), int($data[$pos + 2])
            $vals[$i - 1] = $x
            $pos += 3
«        else:
            $out.append(str(sum($vals)))
            $pos += 1
¦        elif $kind == "2":
            $out.append(str(sum($vals)))
            $pos += 1
        else:
            $out.append(str(max($vals)))
            $pos += 1
»    print("\n".join($out))


main()
""",
)
_py(
    "missing_requirements",
    "arrays",
    "own",
    r"""
def $fn($arr):
    return sum($v for $v in $arr if $v % 2 == 0)


def main():
    $data = sys.stdin.read().split()
«    $n = int($data[0])
    $vals = [int($x) for $x in $data[1:1 + $n]]
    @CALLS
    print($fn($vals))
¦    $t = int($data[0])
    $pos = 1
    for _ in range($t):
        $n = int($data[$pos])
        $vals = [int($x) for $x in $data[$pos + 1:$pos + 1 + $n]]
        $pos += 1 + $n
        print($fn($vals))
»

main()
""",
)
_py(
    "missing_requirements",
    "arrays",
    "arr",
    r"""
def $fn($arr):
    # the maximum and how often it occurs
    if not $arr:
        return "0 0"
    $top = max($arr)
«    return str($top)
¦    return f"{$top} {$arr.count($top)}"
»""",
)
_py(
    "missing_requirements",
    "arrays",
    "arr_k",
    r"""
def $fn($arr, $k):
    # first 1-indexed position where the prefix sum reaches k, or -1
    $acc = 0
    for $i, $v in enumerate($arr):
        $acc += $v
        if $acc >= $k:
            return $i + 1
«    return len($arr)
¦    return -1
»""",
)
_py(
    "missing_requirements",
    "sorting",
    "arr",
    r"""
def $fn($arr):
    # the distinct values in increasing order
«    $out = []
    for $v in $arr:
        if $v not in $out:
            $out.append($v)
    return " ".join(map(str, $out))
¦    return " ".join(map(str, sorted(set($arr))))
»""",
)


def _cpp(subtype: str, family: str, sig: str, text: str, verdicts: Any = None) -> None:
    _add("cpp", subtype, family, sig, text, verdicts)


# -- C++ ----------------------------------------------------------------------------------------

_cpp(
    "off_by_one",
    "arrays",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    int $n = $arr.size();
    long long $acc = 0;
    for (int $i = 0; $i «<=¦<» $n; $i++) {
        $acc += $arr[$i];
    }
    return $acc;
}
""",
    {WA: 2, RE: 1},
)
_cpp(
    "off_by_one",
    "arrays",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    int $cnt = 0;
    for (size_t $i = 0; $i «¦+ 1 »< $arr.size(); $i++) {
        if ($arr[$i + 1] ‹>¦<› $arr[$i]) $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1, RE: 1},
)
_cpp(
    "off_by_one",
    "math",
    "n",
    r"""
long long $fn(long long $n) {
    long long $acc = 0;
    for (long long $i = 1; $i «<¦<=» $n; $i++) {
        $acc += $i * $i;
    }
    return $acc;
}
""",
    {WA: 1},
)

_cpp(
    "boundary_condition",
    "arrays",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
«¦    if ($arr.empty()) return 0;
»    int $best = $arr[0];
    for (int $v : $arr) $best = max($best, $v);
    return $best;
}
""",
    {RE: 1},
)
_cpp(
    "boundary_condition",
    "math",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    long long $total = 0;
    for (int $v : $arr) $total += $v;
«    return $total / (long long) $arr.size();
¦    return $arr.empty() ? 0 : $total / (long long) $arr.size();
»}
""",
    {RE: 1},
)
_cpp(
    "boundary_condition",
    "graphs",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    int $n = $arr.size();
    int $cnt = 0;
    for (int $i = 0; $i < $n; $i++) {
«        bool $ok = $arr[$i] > $arr[$i - 1] && $arr[$i] > $arr[$i + 1];
¦        bool $ok = $i == 0 || $arr[$i] > $arr[$i - 1];
        $ok = $ok && ($i + 1 == $n || $arr[$i] > $arr[$i + 1]);
»        if ($ok) $cnt++;
    }
    return $cnt;
}
""",
)

_cpp(
    "comparison_error",
    "arrays",
    "arr_k",
    r"""
int $fn(const vector<int>& $arr, int $k) {
    // how many values are at least k
    int $cnt = 0;
    for (int $v : $arr) {
        if ($v «>¦>=» $k) $cnt++;
    }
    return $cnt;
}
""",
)
_cpp(
    "comparison_error",
    "binary_search",
    "arr_k",
    r"""
int $fn(vector<int> $arr, int $k) {
    // how many values are strictly smaller than k
    sort($arr.begin(), $arr.end());
    int $lo = 0, $hi = $arr.size();
    while ($lo < $hi) {
        int $mid = ($lo + $hi) / 2;
        if ($arr[$mid] «<=¦<» $k) $lo = $mid + 1;
        else $hi = $mid;
    }
    return $lo;
}
""",
)
_cpp(
    "comparison_error",
    "sorting",
    "arr",
    r"""
bool $cmp(int $x, int $y) {
    return $x «>=¦>» $y;
}

long long $fn(vector<int> $arr) {
    sort($arr.begin(), $arr.end(), $cmp);
    long long $acc = 0;
    for (size_t $i = 0; $i < $arr.size(); $i += 2) $acc += $arr[$i];
    return $acc;
}
""",
    {WA: 2, RE: 1},
)

_cpp(
    "wrong_invariant",
    "arrays",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    // sum of squares
    «int¦long long» $acc = 0;
    for (int $v : $arr) {
        $acc += «$v * $v¦1LL * $v * $v»;
    }
    return $acc;
}
""",
)
_cpp(
    "wrong_invariant",
    "math",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    // product of the values modulo M
    «int¦long long» $acc = 1;
    for (int $v : $arr) {
        $acc = $acc * $v % $M;
    }
    return (int) $acc;
}
""",
)
_cpp(
    "wrong_invariant",
    "arrays",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    if ($arr.empty()) return 0;
    long long $best = $arr[0], $cur = 0;
    for (int $v : $arr) {
«        $cur += $v;
        if ($cur < 0) $cur = 0;
        $best = max($best, $cur);
¦        $cur = max((long long) $v, $cur + $v);
        $best = max($best, $cur);
»    }
    return $best;
}
""",
)

_cpp(
    "partial_case_handling",
    "sorting",
    "arr",
    r"""
long long $fn(vector<int> $arr) {
    // largest product of two values
    sort($arr.begin(), $arr.end());
    int $n = $arr.size();
«    return 1LL * $arr[$n - 1] * $arr[$n - 2];
¦    return max(1LL * $arr[$n - 1] * $arr[$n - 2], 1LL * $arr[0] * $arr[1]);
»}
""",
)
_cpp(
    "partial_case_handling",
    "math",
    "n",
    r"""
int $fn(long long $n) {
    // number of decimal digits
«¦    if ($n == 0) return 1;
    if ($n < 0) $n = -$n;
»    int $cnt = 0;
    while ($n > 0) {
        $n /= 10;
        $cnt++;
    }
    return $cnt;
}
""",
)

_cpp(
    "wrong_complexity",
    "hashing",
    "arr_k",
    r"""
long long $fn(const vector<int>& $arr, int $k) {
    long long $cnt = 0;
«    for (size_t $i = 0; $i < $arr.size(); $i++) {
        for (size_t $j = $i + 1; $j < $arr.size(); $j++) {
            if ($arr[$i] + $arr[$j] == $k) $cnt++;
        }
    }
¦    unordered_map<int, long long> $freq;
    for (int $v : $arr) {
        auto $it = $freq.find($k - $v);
        if ($it != $freq.end()) $cnt += $it->second;
        $freq[$v]++;
    }
»    return $cnt;
}
""",
)
_cpp(
    "wrong_complexity",
    "arrays",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    if ($arr.empty()) return 0;
    long long $best = $arr[0];
«    for (size_t $i = 0; $i < $arr.size(); $i++) {
        long long $acc = 0;
        for (size_t $j = $i; $j < $arr.size(); $j++) {
            $acc += $arr[$j];
            $best = max($best, $acc);
        }
    }
¦    long long $cur = 0;
    for (int $v : $arr) {
        $cur = max((long long) $v, $cur + $v);
        $best = max($best, $cur);
    }
»    return $best;
}
""",
)
_cpp(
    "wrong_complexity",
    "strings",
    "str",
    r"""
int $fn(const string& $s) {
    // characters that occur exactly once
    int $cnt = 0;
«    for (size_t $i = 0; $i < $s.size(); $i++) {
        int $same = 0;
        for (size_t $j = 0; $j < $s.size(); $j++) {
            if ($s[$j] == $s[$i]) $same++;
        }
        if ($same == 1) $cnt++;
    }
¦    int $freq[256] = {0};
    for (unsigned char $ch : $s) $freq[$ch]++;
    for (unsigned char $ch : $s) {
        if ($freq[$ch] == 1) $cnt++;
    }
»    return $cnt;
}
""",
)

_cpp(
    "suboptimal_data_structure",
    "hashing",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    // number of distinct values
    «vector<int>¦unordered_set<int>» $seen;
    for (int $v : $arr) {
«        if (find($seen.begin(), $seen.end(), $v) == $seen.end()) $seen.push_back($v);
¦        $seen.insert($v);
»    }
    return $seen.size();
}
""",
)
_cpp(
    "suboptimal_data_structure",
    "graphs",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    // fewest jumps from the first to the last cell
    int $n = $arr.size();
    if ($n == 0) return -1;
    vector<int> $dist($n, -1);
    «vector<int>¦queue<int>» $q;
    $q.push«_back¦»(0);
    $dist[0] = 0;
    while (!$q.empty()) {
        int $cur = $q.front();
        «$q.erase($q.begin());¦$q.pop();»
        if ($cur == $n - 1) return $dist[$cur];
        for (int $nxt : {$cur + $arr[$cur], $cur - $arr[$cur]}) {
            if ($nxt >= 0 && $nxt < $n && $dist[$nxt] < 0) {
                $dist[$nxt] = $dist[$cur] + 1;
                $q.push«_back¦»($nxt);
            }
        }
    }
    return -1;
}
""",
)
_cpp(
    "suboptimal_data_structure",
    "strings",
    "str",
    r"""
string $fn(const string& $s) {
    // the line without its vowels
    string $res;
    for (char $ch : $s) {
        if (string("aeiouAEIOU").find($ch) == string::npos) {
            «$res = $res + $ch;¦$res += $ch;»
        }
    }
    return $res;
}
""",
)

_cpp(
    "redundant_operations",
    "sorting",
    "arr_k",
    r"""
long long $fn(const vector<int>& $arr, int $k) {
    // sum of the k largest values
«    vector<int> $pool;
    long long $acc = 0;
    for (int $v : $arr) {
        $pool.push_back($v);
        sort($pool.rbegin(), $pool.rend());
        $acc = 0;
        for (int $i = 0; $i < $k && $i < (int) $pool.size(); $i++) $acc += $pool[$i];
    }
    return $acc;
¦    vector<int> $pool($arr);
    sort($pool.rbegin(), $pool.rend());
    long long $acc = 0;
    for (int $i = 0; $i < $k && $i < (int) $pool.size(); $i++) $acc += $pool[$i];
    return $acc;
»}
""",
)
_cpp(
    "redundant_operations",
    "strings",
    "str",
    r"""
long long $fn(const string& $s) {
    // pairs of equal characters i < j
    long long $acc = 0;
«    for (size_t $i = 0; $i < $s.size(); $i++) {
        $acc += count($s.begin(), $s.begin() + $i, $s[$i]);
    }
¦    long long $freq[256] = {0};
    for (unsigned char $ch : $s) $acc += $freq[$ch]++;
»    return $acc;
}
""",
)
_cpp(
    "redundant_operations",
    "arrays",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    // sum over positions of the maximum so far
    long long $acc = 0;
«    for (size_t $i = 0; $i < $arr.size(); $i++) {
        $acc += *max_element($arr.begin(), $arr.begin() + $i + 1);
    }
¦    int $best = INT_MIN;
    for (int $v : $arr) {
        $best = max($best, $v);
        $acc += $best;
    }
»    return $acc;
}
""",
)

_cpp(
    "missing_memoization",
    "dp",
    "n",
    r"""
«¦long long $memo[100];
bool $known[100];

»long long $g(int $k) {
    if ($k < 2) return $k;
«    return ($g($k - 1) + $g($k - 2)) % $M;
¦    if ($known[$k]) return $memo[$k];
    $known[$k] = true;
    return $memo[$k] = ($g($k - 1) + $g($k - 2)) % $M;
»}

long long $fn(long long $n) {
    return $g((int) $n);
}
""",
)
_cpp(
    "missing_memoization",
    "dp",
    "arr_k",
    r"""
«¦map<pair<int, int>, long long> $memo;

»long long $g(const vector<int>& $arr, int $i, int $acc) {
    if ($acc == 0) return 1;
    if ($i == (int) $arr.size() || $acc < 0) return 0;
«¦    auto $key = make_pair($i, $acc);
    if ($memo.count($key)) return $memo[$key];
»    long long $res = $g($arr, $i + 1, $acc);
    $res += $g($arr, $i + 1, $acc - $arr[$i]);
    return «$res¦$memo[$key] = $res»;
}

long long $fn(const vector<int>& $arr, int $k) {
    return $g($arr, 0, $k);
}
""",
)

_cpp(
    "null_reference",
    "trees",
    "arr",
    r"""
struct $Node {
    int val;
    $Node* left = nullptr;
    $Node* right = nullptr;
};

$Node* $insert($Node* $root, int $v) {
«¦    if ($root == nullptr) {
        $Node* $node = new $Node();
        $node->val = $v;
        return $node;
    }
»    if ($v < $root->val) $root->left = $insert($root->left, $v);
    else $root->right = $insert($root->right, $v);
    return $root;
}

int $height($Node* $node) {
    if ($node == nullptr) return 0;
    return 1 + max($height($node->left), $height($node->right));
}

int $fn(const vector<int>& $arr) {
    $Node* $root = nullptr;
    for (int $v : $arr) $root = $insert($root, $v);
    return $height($root);
}
""",
)
_cpp(
    "null_reference",
    "hashing",
    "arr_k",
    r"""
const int* $find(const vector<int>& $arr, int $k) {
    for (const int& $v : $arr) {
        if ($v == $k) return &$v;
    }
    return nullptr;
}

long long $fn(const vector<int>& $arr, int $k) {
    const int* $p = $find($arr, $k);
«    return 2LL * *$p;
¦    return $p == nullptr ? -1 : 2LL * *$p;
»}
""",
)
_cpp(
    "null_reference",
    "hashing",
    "arr_k",
    r"""
int $fn(const vector<int>& $arr, int $k) {
    // 1-indexed first position of k, -1 when absent
    map<int, int> $pos;
    for (int $i = 0; $i < (int) $arr.size(); $i++) {
        if (!$pos.count($arr[$i])) $pos[$arr[$i]] = $i + 1;
    }
«    return $pos.find($k)->second;
¦    auto $it = $pos.find($k);
    return $it == $pos.end() ? -1 : $it->second;
»}
""",
)

_cpp(
    "type_mismatch",
    "strings",
    "str",
    r"""
int $fn(const string& $s) {
    int $cnt = 0;
    for (char $ch : $s) {
        if ($ch == «"a"¦'a'») $cnt++;
    }
    return $cnt;
}
""",
    {CE: 1},
)
_cpp(
    "type_mismatch",
    "math",
    "arr",
    r"""
double $fn(const vector<int>& $arr) {
    // the average with two decimals
    int $total = 0, $cnt = $arr.size();
    for (int $v : $arr) $total += $v;
    if ($cnt == 0) return 0;
«    double $avg = $total / $cnt;
¦    double $avg = (double) $total / $cnt;
»    return round($avg * 100) / 100;
}
""",
    {WA: 1},
)
_cpp(
    "type_mismatch",
    "arrays",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    int $cnt = 0;
«    for (size_t $i = 0; $i < $arr.size() - 1; $i++) {
¦    for (size_t $i = 0; $i + 1 < $arr.size(); $i++) {
»        if ($arr[$i] == $arr[$i + 1]) $cnt++;
    }
    return $cnt;
}
""",
    {RE: 1},
)
_cpp(
    "type_mismatch",
    "strings",
    "str",
    r"""
string $fn(const string& $s) {
    // the length of the line, a space, then the line
«    int $res = $s.size() + " " + $s;
¦    string $res = to_string($s.size()) + " " + $s;
»    return $res;
}
""",
    {CE: 1},
)

_cpp(
    "state_mutation",
    "arrays",
    "arr",
    r"""
int $fn(vector<int> $items) {
    // values left after removing the negative ones
«    for (auto $it = $items.begin(); $it != $items.end(); ++$it) {
        if (*$it < 0) $items.erase($it);
    }
¦    $items.erase(remove_if($items.begin(), $items.end(), [](int $v) { return $v < 0; }),
                 $items.end());
»    return $items.size();
}
""",
    {RE: 1},
)
_cpp(
    "state_mutation",
    "hashing",
    "multi",
    r"""
map<int, int> $counter;

int $fn(const vector<int>& $arr) {
    // highest multiplicity in this test case
«¦    $counter.clear();
»    int $best = 0;
    for (int $v : $arr) $best = max($best, ++$counter[$v]);
    return $best;
}
""",
    {WA: 1},
)
_cpp(
    "state_mutation",
    "sorting",
    "arr",
    r"""
int $fn(vector<int>& $arr) {
    // values already at their sorted position
«    vector<int>& $ordered = $arr;
¦    vector<int> $ordered = $arr;
»    sort($ordered.begin(), $ordered.end());
    int $cnt = 0;
    for (size_t $i = 0; $i < $arr.size(); $i++) {
        if ($arr[$i] == $ordered[$i]) $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1},
)

_cpp(
    "resource_leak",
    "arrays",
    "multi",
    r"""
long long $fn(const vector<int>& $arr) {
    // largest prefix sum
    int $n = $arr.size();
«    long long* $pre = new long long[$n + 1];
¦    vector<long long> $pre($n + 1);
»    $pre[0] = 0;
    for (int $i = 0; $i < $n; $i++) $pre[$i + 1] = $pre[$i] + $arr[$i];
    long long $best = 0;
    for (int $i = 0; $i <= $n; $i++) $best = max($best, $pre[$i]);
    return $best;
}
""",
    {MLE: 2, RE: 1},
)
_cpp(
    "resource_leak",
    "queries",
    "own",
    r"""
struct $Node {
    int val;
    $Node* next;
};

int main() {
    int $nq;
    cin >> $nq;
    $Node* $head = nullptr;
    long long $acc = 0;
    while ($nq--) {
        int $kind;
        cin >> $kind;
        if ($kind == 1) {
            int $v;
            cin >> $v;
            $head = new $Node{$v, $head};
            $acc += $v;
        } else if ($head != nullptr) {
            $Node* $old = $head;
            $acc -= $old->val;
            $head = $head->next;
«¦            delete $old;
»        }
        cout << $acc << "\n";
    }
    return 0;
}
""",
    {MLE: 2, RE: 1},
)

_cpp(
    "misread_constraints",
    "arrays",
    "arr",
    r"""
int $fn(const vector<int>& $arr) {
    // 1-indexed position of the first maximum
    int $best = 0;
    for (int $i = 1; $i < (int) $arr.size(); $i++) {
        if ($arr[$i] > $arr[$best]) $best = $i;
    }
    return $best«¦ + 1»;
}
""",
    {WA: 1},
)
_cpp(
    "misread_constraints",
    "math",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    // product of the values modulo M
    long long $acc = 1;
    for (int $v : $arr) {
        $acc = $acc * $v«¦ % $M»;
    }
    return $acc;
}
""",
    {WA: 1},
)
_cpp(
    "misread_constraints",
    "greedy",
    "own",
    r"""
int main() {
    int $n, $k;
«    cin >> $k >> $n;
¦    cin >> $n >> $k;
»    vector<int> $vals($n);
    for (auto& $x : $vals) cin >> $x;
    @CALLS
    sort($vals.begin(), $vals.end());
    long long $acc = 0;
    for (int $i = 0; $i < $k && $i < $n; $i++) $acc += $vals[$i];
    cout << $acc << "\n";
    return 0;
}
""",
)

_cpp(
    "wrong_problem_entirely",
    "arrays",
    "arr",
    r"""
long long $fn(const vector<int>& $arr) {
    long long $acc = 0;
«    for (int $v : $arr) $acc = max($acc, (long long) $v);
¦    for (int $v : $arr) $acc += $v;
»    return $acc;
}
""",
)
_cpp(
    "wrong_problem_entirely",
    "hashing",
    "arr",
    r"""
string $fn(vector<int> $arr) {
«    sort($arr.begin(), $arr.end());
    string $res;
    for (int $v : $arr) $res += to_string($v) + " ";
    return $res;
¦    set<int> $distinct($arr.begin(), $arr.end());
    return to_string($distinct.size());
»}
""",
)
_cpp(
    "wrong_problem_entirely",
    "strings",
    "str",
    r"""
string $fn(string $s) {
«    reverse($s.begin(), $s.end());
    return $s;
¦    string $res($s.rbegin(), $s.rend());
    return $res == $s ? "YES" : "NO";
»}
""",
)

_cpp(
    "missing_requirements",
    "queries",
    "own",
    r"""
int main() {
    int $n, $nq;
    cin >> $n >> $nq;
    vector<long long> $vals($n);
    for (auto& $x : $vals) cin >> $x;
    while ($nq--) {
        int $kind;
        cin >> $kind;
        if ($kind == 1) {
            int $i;
            long long $v;
            cin >> $i >> $v;
            $vals[$i - 1] = $v;
«        } else {
            cout << accumulate($vals.begin(), $vals.end(), 0LL) << "\n";
        }
¦        } else if ($kind == 2) {
            cout << accumulate($vals.begin(), $vals.end(), 0LL) << "\n";
        } else {
            cout << *max_element($vals.begin(), $vals.end()) << "\n";
        }
»    }
    return 0;
}
""",
)
_cpp(
    "missing_requirements",
    "arrays",
    "arr_k",
    r"""
int $fn(const vector<int>& $arr, int $k) {
    // first 1-indexed position where the prefix sum reaches k, or -1
    long long $acc = 0;
    for (int $i = 0; $i < (int) $arr.size(); $i++) {
        $acc += $arr[$i];
        if ($acc >= $k) return $i + 1;
    }
    return «(int) $arr.size()¦-1»;
}
""",
)


def _java(subtype: str, family: str, sig: str, text: str, verdicts: Any = None) -> None:
    _add("java", subtype, family, sig, text, verdicts)


# -- Java ---------------------------------------------------------------------------------------

_java(
    "off_by_one",
    "arrays",
    "arr",
    r"""
static long $fn(int[] $arr) {
    long $acc = 0;
    for (int $i = 0; $i «<=¦<» $arr.length; $i++) {
        $acc += $arr[$i];
    }
    return $acc;
}
""",
    {RE: 1},
)
_java(
    "off_by_one",
    "math",
    "n",
    r"""
static long $fn(int $n) {
    long $acc = 0;
    for (int $i = 1; $i «<¦<=» $n; $i++) {
        $acc += (long) $i * $i;
    }
    return $acc;
}
""",
    {WA: 1},
)
_java(
    "off_by_one",
    "strings",
    "str",
    r"""
static String $fn(String $s) {
    int $lo = 0, $hi = $s.length()«¦ - 1»;
    while ($lo < $hi) {
        if ($s.charAt($lo) != $s.charAt($hi)) return "NO";
        $lo++;
        $hi--;
    }
    return "YES";
}
""",
    {RE: 1},
)

_java(
    "boundary_condition",
    "arrays",
    "arr",
    r"""
static int $fn(int[] $arr) {
«¦    if ($arr.length == 0) return 0;
»    int $best = $arr[0];
    for (int $v : $arr) $best = Math.max($best, $v);
    return $best;
}
""",
    {RE: 1},
)
_java(
    "boundary_condition",
    "math",
    "arr",
    r"""
static long $fn(int[] $arr) {
    long $total = 0;
    for (int $v : $arr) $total += $v;
«    return $total / $arr.length;
¦    return $arr.length == 0 ? 0 : $total / $arr.length;
»}
""",
    {RE: 1},
)

_java(
    "comparison_error",
    "arrays",
    "arr_k",
    r"""
static int $fn(int[] $arr, int $k) {
    // how many values are at least k
    int $cnt = 0;
    for (int $v : $arr) {
        if ($v «>¦>=» $k) $cnt++;
    }
    return $cnt;
}
""",
)
_java(
    "comparison_error",
    "binary_search",
    "arr_k",
    r"""
static int $fn(int[] $arr, int $k) {
    // how many values are strictly smaller than k
    int[] $ordered = $arr.clone();
    Arrays.sort($ordered);
    int $lo = 0, $hi = $ordered.length;
    while ($lo < $hi) {
        int $mid = ($lo + $hi) >>> 1;
        if ($ordered[$mid] «<=¦<» $k) $lo = $mid + 1;
        else $hi = $mid;
    }
    return $lo;
}
""",
)

_java(
    "wrong_invariant",
    "arrays",
    "arr",
    r"""
static long $fn(int[] $arr) {
    // sum of squares
    «int¦long» $acc = 0;
    for (int $v : $arr) {
        $acc += «$v * $v¦(long) $v * $v»;
    }
    return $acc;
}
""",
)
_java(
    "wrong_invariant",
    "hashing",
    "arr_k",
    r"""
static long $fn(int[] $arr, int $k) {
    // pairs i < j with arr[i] + arr[j] == k
    Map<Integer, Integer> $freq = new HashMap<>();
    long $cnt = 0;
    for (int $v : $arr) {
«        $freq.merge($v, 1, Integer::sum);
        $cnt += $freq.getOrDefault($k - $v, 0);
¦        $cnt += $freq.getOrDefault($k - $v, 0);
        $freq.merge($v, 1, Integer::sum);
»    }
    return $cnt;
}
""",
)

_java(
    "partial_case_handling",
    "sorting",
    "arr",
    r"""
static long $fn(int[] $arr) {
    // largest product of two values
    int[] $ordered = $arr.clone();
    Arrays.sort($ordered);
    int $n = $ordered.length;
«    return (long) $ordered[$n - 1] * $ordered[$n - 2];
¦    long $hi = (long) $ordered[$n - 1] * $ordered[$n - 2];
    return Math.max($hi, (long) $ordered[0] * $ordered[1]);
»}
""",
)
_java(
    "partial_case_handling",
    "math",
    "n",
    r"""
static String $fn(int $n) {
    // binary representation
«¦    if ($n == 0) return "0";
»    StringBuilder $sb = new StringBuilder();
    while ($n > 0) {
        $sb.append($n % 2);
        $n /= 2;
    }
    return $sb.reverse().toString();
}
""",
)

_java(
    "wrong_complexity",
    "hashing",
    "arr_k",
    r"""
static long $fn(int[] $arr, int $k) {
    long $cnt = 0;
«    for (int $i = 0; $i < $arr.length; $i++) {
        for (int $j = $i + 1; $j < $arr.length; $j++) {
            if ($arr[$i] + $arr[$j] == $k) $cnt++;
        }
    }
¦    Map<Integer, Integer> $freq = new HashMap<>();
    for (int $v : $arr) {
        $cnt += $freq.getOrDefault($k - $v, 0);
        $freq.merge($v, 1, Integer::sum);
    }
»    return $cnt;
}
""",
)
_java(
    "wrong_complexity",
    "arrays",
    "arr",
    r"""
static long $fn(int[] $arr) {
    if ($arr.length == 0) return 0;
    long $best = $arr[0];
«    for (int $i = 0; $i < $arr.length; $i++) {
        long $acc = 0;
        for (int $j = $i; $j < $arr.length; $j++) {
            $acc += $arr[$j];
            $best = Math.max($best, $acc);
        }
    }
¦    long $cur = 0;
    for (int $v : $arr) {
        $cur = Math.max($v, $cur + $v);
        $best = Math.max($best, $cur);
    }
»    return $best;
}
""",
)

_java(
    "suboptimal_data_structure",
    "hashing",
    "arr",
    r"""
static int $fn(int[] $arr) {
    // number of distinct values
    «List<Integer> $seen = new ArrayList<>();¦Set<Integer> $seen = new HashSet<>();»
    for (int $v : $arr) {
        if (!$seen.contains($v)) $seen.add($v);
    }
    return $seen.size();
}
""",
)
_java(
    "suboptimal_data_structure",
    "graphs",
    "arr",
    r"""
static int $fn(int[] $arr) {
    // fewest jumps from the first to the last cell
    int $n = $arr.length;
    if ($n == 0) return -1;
    int[] $dist = new int[$n];
    Arrays.fill($dist, -1);
    «List<Integer> $q = new ArrayList<>();¦ArrayDeque<Integer> $q = new ArrayDeque<>();»
    $q.add(0);
    $dist[0] = 0;
    while (!$q.isEmpty()) {
        int $cur = $q.«remove(0)¦poll()»;
        if ($cur == $n - 1) return $dist[$cur];
        for (int $nxt : new int[] {$cur + $arr[$cur], $cur - $arr[$cur]}) {
            if ($nxt >= 0 && $nxt < $n && $dist[$nxt] < 0) {
                $dist[$nxt] = $dist[$cur] + 1;
                $q.add($nxt);
            }
        }
    }
    return -1;
}
""",
)
_java(
    "suboptimal_data_structure",
    "strings",
    "str",
    r"""
static String $fn(String $s) {
    // the line without its vowels
    «String $res = "";¦StringBuilder $res = new StringBuilder();»
    for (char $ch : $s.toCharArray()) {
        if ("aeiouAEIOU".indexOf($ch) < 0) «$res += $ch;¦$res.append($ch);»
    }
    return $res«¦.toString()»;
}
""",
)

_java(
    "redundant_operations",
    "sorting",
    "arr_k",
    r"""
static long $fn(int[] $arr, int $k) {
    // sum of the k largest values
«    List<Integer> $pool = new ArrayList<>();
    long $acc = 0;
    for (int $v : $arr) {
        $pool.add($v);
        $pool.sort(Collections.reverseOrder());
        $acc = 0;
        for (int $i = 0; $i < $k && $i < $pool.size(); $i++) $acc += $pool.get($i);
    }
    return $acc;
¦    int[] $ordered = $arr.clone();
    Arrays.sort($ordered);
    long $acc = 0;
    for (int $i = 0; $i < $k && $i < $ordered.length; $i++) {
        $acc += $ordered[$ordered.length - 1 - $i];
    }
    return $acc;
»}
""",
)
_java(
    "redundant_operations",
    "arrays",
    "arr",
    r"""
static long $fn(int[] $arr) {
    // sum over positions of the maximum so far
    long $acc = 0;
«    for (int $i = 0; $i < $arr.length; $i++) {
        int $best = Integer.MIN_VALUE;
        for (int $j = 0; $j <= $i; $j++) $best = Math.max($best, $arr[$j]);
        $acc += $best;
    }
¦    int $best = Integer.MIN_VALUE;
    for (int $v : $arr) {
        $best = Math.max($best, $v);
        $acc += $best;
    }
»    return $acc;
}
""",
)

_java(
    "missing_memoization",
    "dp",
    "n",
    r"""
«¦static long[] $memo = new long[100];

»static long $g(int $k) {
    if ($k < 2) return $k;
«    return ($g($k - 1) + $g($k - 2)) % $M;
¦    if ($memo[$k] != 0) return $memo[$k];
    return $memo[$k] = ($g($k - 1) + $g($k - 2)) % $M;
»}

static long $fn(int $n) {
    return $g($n);
}
""",
)
_java(
    "missing_memoization",
    "dp",
    "arr_k",
    r"""
«¦static Map<Integer, Integer> $memo = new HashMap<>();

»static int $g(int[] $arr, int $acc) {
    if ($acc == 0) return 0;
    if ($acc < 0) return Integer.MAX_VALUE;
«¦    if ($memo.containsKey($acc)) return $memo.get($acc);
»    int $best = Integer.MAX_VALUE;
    for (int $coin : $arr) {
        if ($coin <= 0) continue;
        int $sub = $g($arr, $acc - $coin);
        if ($sub != Integer.MAX_VALUE) $best = Math.min($best, $sub + 1);
    }
«¦    $memo.put($acc, $best);
»    return $best;
}

static int $fn(int[] $arr, int $k) {
    int $ans = $g($arr, $k);
    return $ans == Integer.MAX_VALUE ? -1 : $ans;
}
""",
)

_java(
    "null_reference",
    "hashing",
    "arr_k",
    r"""
static int $fn(int[] $arr, int $k) {
    // 1-indexed first position of k, -1 when absent
    Map<Integer, Integer> $pos = new HashMap<>();
    for (int $i = 0; $i < $arr.length; $i++) $pos.putIfAbsent($arr[$i], $i + 1);
«    int $found = $pos.get($k);
    return $found;
¦    Integer $found = $pos.get($k);
    return $found == null ? -1 : $found;
»}
""",
)
_java(
    "null_reference",
    "trees",
    "arr",
    r"""
static class $Node {
    int val;
    $Node left, right;

    $Node(int val) {
        this.val = val;
    }
}

static $Node $insert($Node $root, int $v) {
«¦    if ($root == null) return new $Node($v);
»    if ($v < $root.val) $root.left = $insert($root.left, $v);
    else $root.right = $insert($root.right, $v);
    return $root;
}

static int $height($Node $node) {
    if ($node == null) return 0;
    return 1 + Math.max($height($node.left), $height($node.right));
}

static int $fn(int[] $arr) {
    $Node $root = null;
    for (int $v : $arr) $root = $insert($root, $v);
    return $height($root);
}
""",
)

_java(
    "type_mismatch",
    "arrays",
    "arr",
    r"""
static long $fn(int[] $arr) {
    long $acc = 0;
    for (int $v : $arr) $acc += $v;
«    int $res = $acc;
¦    long $res = $acc;
»    return $res;
}
""",
    {CE: 1},
)
_java(
    "type_mismatch",
    "math",
    "arr",
    r"""
static double $fn(int[] $arr) {
    // the average with two decimals
    if ($arr.length == 0) return 0;
    int $total = 0;
    int $cnt = $arr.length;
    for (int $v : $arr) $total += $v;
«    double $avg = $total / $cnt;
¦    double $avg = (double) $total / $cnt;
»    return Math.round($avg * 100) / 100.0;
}
""",
    {WA: 1},
)
_java(
    "type_mismatch",
    "strings",
    "str",
    r"""
static int $fn(String $s) {
    // words equal to "yes"
    int $cnt = 0;
    for (String $w : $s.split(" ")) {
        if («$w == "yes"¦$w.equals("yes")») $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1},
)

_java(
    "state_mutation",
    "arrays",
    "arr",
    r"""
static int $fn(int[] $arr) {
    // values left after removing the negative ones
    List<Integer> $items = new ArrayList<>();
    for (int $x : $arr) $items.add($x);
«    for (Integer $v : $items) {
        if ($v < 0) $items.remove($v);
    }
¦    $items.removeIf($v -> $v < 0);
»    return $items.size();
}
""",
    {RE: 1},
)
_java(
    "state_mutation",
    "sorting",
    "arr",
    r"""
static int $fn(int[] $arr) {
    // values already at their sorted position
    int[] $ordered = $arr«¦.clone()»;
    Arrays.sort($ordered);
    int $cnt = 0;
    for (int $i = 0; $i < $arr.length; $i++) {
        if ($arr[$i] == $ordered[$i]) $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1},
)
_java(
    "state_mutation",
    "hashing",
    "multi",
    r"""
static Map<Integer, Integer> $counter = new HashMap<>();

static int $fn(int[] $arr) {
    // highest multiplicity in this test case
«¦    $counter.clear();
»    int $best = 0;
    for (int $v : $arr) $best = Math.max($best, $counter.merge($v, 1, Integer::sum));
    return $best;
}
""",
    {WA: 1},
)

_java(
    "resource_leak",
    "math",
    "own",
    r"""
public static void main(String[] args) throws IOException {
    BufferedReader $br = new BufferedReader(new InputStreamReader(System.in));
    int $n = Integer.parseInt($br.readLine().trim());
    BufferedWriter $pw = new BufferedWriter(new OutputStreamWriter(System.out));
    for (int $i = 0; $i < $n; $i++) {
        long $v = Long.parseLong($br.readLine().trim());
        $pw.write(($v * $v) + "\n");
    }
«¦    $pw.flush();
»}
""",
    {WA: 1},
)
_java(
    "resource_leak",
    "strings",
    "own",
    r"""
public static void main(String[] args) throws IOException {
    BufferedReader $br = new BufferedReader(new FileReader("input.txt"));
    String $s = $br.readLine();
«¦    $br.close();
»    int $cnt = 0;
    for (String $w : ($s == null ? "" : $s).trim().split("\\s+")) {
        if (!$w.isEmpty()) $cnt++;
    }
    PrintWriter $pw = new PrintWriter(new FileWriter("output.txt"));
    $pw.println($cnt);
«¦    $pw.close();
»}
""",
    {WA: 1, RE: 1},
)

_java(
    "misread_constraints",
    "arrays",
    "arr",
    r"""
static int $fn(int[] $arr) {
    // 1-indexed position of the first maximum
    int $best = 0;
    for (int $i = 1; $i < $arr.length; $i++) {
        if ($arr[$i] > $arr[$best]) $best = $i;
    }
    return $best«¦ + 1»;
}
""",
    {WA: 1},
)
_java(
    "misread_constraints",
    "math",
    "arr",
    r"""
static long $fn(int[] $arr) {
    // product of the values modulo M
    long $acc = 1;
    for (int $v : $arr) {
        $acc = $acc * $v«¦ % $M»;
    }
    return $acc;
}
""",
    {WA: 1},
)

_java(
    "wrong_problem_entirely",
    "arrays",
    "arr",
    r"""
static long $fn(int[] $arr) {
    long $acc = 0;
«    for (int $v : $arr) $acc = Math.max($acc, $v);
¦    for (int $v : $arr) $acc += $v;
»    return $acc;
}
""",
)
_java(
    "wrong_problem_entirely",
    "hashing",
    "arr",
    r"""
static String $fn(int[] $arr) {
«    int[] $ordered = $arr.clone();
    Arrays.sort($ordered);
    return Arrays.toString($ordered);
¦    Set<Integer> $distinct = new HashSet<>();
    for (int $v : $arr) $distinct.add($v);
    return String.valueOf($distinct.size());
»}
""",
)

_java(
    "missing_requirements",
    "arrays",
    "arr_k",
    r"""
static int $fn(int[] $arr, int $k) {
    // first 1-indexed position where the prefix sum reaches k, or -1
    long $acc = 0;
    for (int $i = 0; $i < $arr.length; $i++) {
        $acc += $arr[$i];
        if ($acc >= $k) return $i + 1;
    }
    return «$arr.length¦-1»;
}
""",
)
_java(
    "missing_requirements",
    "arrays",
    "arr",
    r"""
static String $fn(int[] $arr) {
    // the maximum and how often it occurs
    int $top = Integer.MIN_VALUE;
    for (int $v : $arr) $top = Math.max($top, $v);
«    return String.valueOf($top);
¦    int $cnt = 0;
    for (int $v : $arr) {
        if ($v == $top) $cnt++;
    }
    return $top + " " + $cnt;
»}
""",
)


def _js(subtype: str, family: str, sig: str, text: str, verdicts: Any = None) -> None:
    _add("javascript", subtype, family, sig, text, verdicts)


# -- JavaScript ---------------------------------------------------------------------------------

_js(
    "off_by_one",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
    let $acc = 0;
    for (let $i = 0; $i «<=¦<» $arr.length; $i++) {
        $acc += $arr[$i];
    }
    return $acc;
}
""",
    {WA: 1},
)
_js(
    "off_by_one",
    "math",
    "n",
    r"""
function $fn($n) {
    let $acc = 0;
    for (let $i = 1; $i «<¦<=» $n; $i++) $acc += $i * $i;
    return $acc;
}
""",
    {WA: 1},
)
_js(
    "off_by_one",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
    let $cnt = 0;
    for (let $i = 0; $i < $arr.length«¦ - 1»; $i++) {
        if ($arr[$i + 1] ‹>¦<› $arr[$i]) $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1},
)

_js(
    "boundary_condition",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
«¦    if ($arr.length === 0) return 0;
»    let $best = $arr[0];
    for (const $v of $arr) if ($v > $best) $best = $v;
    return $best;
}
""",
    {WA: 1},
)
_js(
    "boundary_condition",
    "math",
    "arr",
    r"""
function $fn($arr) {
    const $total = $arr.reduce((p, q) => p + q, 0);
«    return Math.floor($total / $arr.length);
¦    return $arr.length === 0 ? 0 : Math.floor($total / $arr.length);
»}
""",
    {WA: 1},
)

_js(
    "comparison_error",
    "arrays",
    "arr_k",
    r"""
function $fn($arr, $k) {
    // how many values are at least k
    return $arr.filter(($v) => $v «>¦>=» $k).length;
}
""",
)
_js(
    "comparison_error",
    "sorting",
    "arr",
    r"""
function $fn($arr) {
    // the median
    const $ordered = [...$arr].sort(«¦(p, q) => p - q»);
    return $ordered[Math.floor($ordered.length / 2)];
}
""",
)

_js(
    "wrong_invariant",
    "math",
    "arr",
    r"""
function $fn($arr) {
    // product of the values modulo M
    let $acc = «1¦1n»;
    for (const $v of $arr) {
        $acc = «($acc * $v) % $M¦($acc * BigInt($v)) % BigInt($M)»;
    }
    return String($acc);
}
""",
)
_js(
    "wrong_invariant",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
    // largest sum of a non-empty subarray
    if ($arr.length === 0) return 0;
    let $best = $arr[0];
    let $cur = 0;
    for (const $v of $arr) {
«        $cur += $v;
        if ($cur < 0) $cur = 0;
        $best = Math.max($best, $cur);
¦        $cur = Math.max($v, $cur + $v);
        $best = Math.max($best, $cur);
»    }
    return $best;
}
""",
)

_js(
    "partial_case_handling",
    "sorting",
    "arr",
    r"""
function $fn($arr) {
    // largest product of two values
    const $ordered = [...$arr].sort((p, q) => p - q);
    const $n = $ordered.length;
«    return $ordered[$n - 1] * $ordered[$n - 2];
¦    return Math.max($ordered[$n - 1] * $ordered[$n - 2], $ordered[0] * $ordered[1]);
»}
""",
)
_js(
    "partial_case_handling",
    "strings",
    "str",
    r"""
function $fn($s) {
    // vowels in either case
    let $cnt = 0;
    for (const $ch of $s«¦.toLowerCase()») {
        if ("aeiou".includes($ch)) $cnt++;
    }
    return $cnt;
}
""",
)

_js(
    "wrong_complexity",
    "hashing",
    "arr_k",
    r"""
function $fn($arr, $k) {
    let $cnt = 0;
«    for (let $i = 0; $i < $arr.length; $i++) {
        for (let $j = $i + 1; $j < $arr.length; $j++) {
            if ($arr[$i] + $arr[$j] === $k) $cnt++;
        }
    }
¦    const $freq = new Map();
    for (const $v of $arr) {
        $cnt += $freq.get($k - $v) || 0;
        $freq.set($v, ($freq.get($v) || 0) + 1);
    }
»    return $cnt;
}
""",
)
_js(
    "wrong_complexity",
    "strings",
    "str",
    r"""
function $fn($s) {
    // longest substring without a repeated character
    let $best = 0;
«    for (let $i = 0; $i < $s.length; $i++) {
        for (let $j = $i + 1; $j <= $s.length; $j++) {
            if (new Set($s.slice($i, $j)).size === $j - $i) $best = Math.max($best, $j - $i);
        }
    }
¦    const $last = new Map();
    let $lo = 0;
    for (let $i = 0; $i < $s.length; $i++) {
        if ($last.has($s[$i]) && $last.get($s[$i]) >= $lo) $lo = $last.get($s[$i]) + 1;
        $last.set($s[$i], $i);
        $best = Math.max($best, $i - $lo + 1);
    }
»    return $best;
}
""",
)

_js(
    "suboptimal_data_structure",
    "hashing",
    "arr",
    r"""
function $fn($arr) {
    // number of distinct values
    const $seen = «[]¦new Set()»;
    for (const $v of $arr) {
        if (!$seen.«includes¦has»($v)) $seen.«push¦add»($v);
    }
    return $seen.«length¦size»;
}
""",
)
_js(
    "suboptimal_data_structure",
    "graphs",
    "arr",
    r"""
function $fn($arr) {
    // fewest jumps from the first to the last cell
    const $n = $arr.length;
    if ($n === 0) return -1;
    const $dist = new Array($n).fill(-1);
    const $q = [0];
«¦    let $head = 0;
»    $dist[0] = 0;
    while («$q.length > 0¦$head < $q.length») {
        const $cur = «$q.shift()¦$q[$head++]»;
        if ($cur === $n - 1) return $dist[$cur];
        for (const $nxt of [$cur + $arr[$cur], $cur - $arr[$cur]]) {
            if ($nxt >= 0 && $nxt < $n && $dist[$nxt] < 0) {
                $dist[$nxt] = $dist[$cur] + 1;
                $q.push($nxt);
            }
        }
    }
    return -1;
}
""",
)

_js(
    "redundant_operations",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
    // positions whose value equals the sum of everything before
    let $cnt = 0;
«    for (let $i = 0; $i < $arr.length; $i++) {
        if ($arr[$i] === $arr.slice(0, $i).reduce((p, q) => p + q, 0)) $cnt++;
    }
¦    let $pre = 0;
    for (const $v of $arr) {
        if ($v === $pre) $cnt++;
        $pre += $v;
    }
»    return $cnt;
}
""",
)
_js(
    "redundant_operations",
    "sorting",
    "arr_k",
    r"""
function $fn($arr, $k) {
    // sum of the k largest values
«    const $pool = [];
    let $acc = 0;
    for (const $v of $arr) {
        $pool.push($v);
        $pool.sort((p, q) => q - p);
        $acc = $pool.slice(0, $k).reduce((p, q) => p + q, 0);
    }
    return $acc;
¦    const $pool = [...$arr].sort((p, q) => q - p);
    return $pool.slice(0, $k).reduce((p, q) => p + q, 0);
»}
""",
)

_js(
    "missing_memoization",
    "dp",
    "n",
    r"""
«¦const $memo = new Map();

»function $g($k) {
    if ($k < 2) return $k;
«    return ($g($k - 1) + $g($k - 2)) % $M;
¦    if ($memo.has($k)) return $memo.get($k);
    const $res = ($g($k - 1) + $g($k - 2)) % $M;
    $memo.set($k, $res);
    return $res;
»}

function $fn($n) {
    return $g($n);
}
""",
)
_js(
    "missing_memoization",
    "dp",
    "str",
    r"""
function $fn($s) {
    // longest palindromic subsequence
«¦    const $memo = new Map();
»    const $g = ($lo, $hi) => {
        if ($lo > $hi) return 0;
        if ($lo === $hi) return 1;
«¦        const $key = $lo * 10007 + $hi;
        if ($memo.has($key)) return $memo.get($key);
»        const $res = $s[$lo] === $s[$hi]
            ? 2 + $g($lo + 1, $hi - 1)
            : Math.max($g($lo + 1, $hi), $g($lo, $hi - 1));
«¦        $memo.set($key, $res);
»        return $res;
    };
    return $g(0, $s.length - 1);
}
""",
)

_js(
    "null_reference",
    "arrays",
    "arr_k",
    r"""
function $fn($arr, $k) {
    // 1-indexed first position of k, -1 when absent
    const $items = $arr.map(($v, $i) => ({ value: $v, index: $i + 1 }));
«    return $items.find(($it) => $it.value === $k).index;
¦    const $found = $items.find(($it) => $it.value === $k);
    return $found ? $found.index : -1;
»}
""",
)
_js(
    "null_reference",
    "hashing",
    "str",
    r"""
function $fn($s) {
    // size of the largest group of words sharing a first letter
    const $groups = new Map();
    for (const $w of $s.split(" ").filter(Boolean)) {
«¦        if (!$groups.has($w[0])) $groups.set($w[0], []);
»        $groups.get($w[0]).push($w);
    }
    let $best = 0;
    for (const $grp of $groups.values()) $best = Math.max($best, $grp.length);
    return $best;
}
""",
)

_js(
    "type_mismatch",
    "arrays",
    "own",
    r"""
function main() {
    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/);
    const $n = Number($data[0]);
    let $acc = 0;
    for (let $i = 1; $i <= $n; $i++) {
        $acc += «$data[$i]¦Number($data[$i])»;
    }
    console.log(String($acc));
}

main();
""",
    {WA: 1},
)
_js(
    "type_mismatch",
    "strings",
    "str",
    r"""
function $fn($s) {
    // how many characters are the digit zero
    let $cnt = 0;
    for (const $ch of $s) {
        if («$ch == 0¦$ch === "0"») $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1},
)

_js(
    "state_mutation",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
    // values left after removing the negative ones
    const $items = [...$arr];
«    for (let $i = 0; $i < $items.length; $i++) {
¦    for (let $i = $items.length - 1; $i >= 0; $i--) {
»        if ($items[$i] < 0) $items.splice($i, 1);
    }
    return $items.length;
}
""",
    {WA: 1},
)
_js(
    "state_mutation",
    "sorting",
    "arr",
    r"""
function $fn($arr) {
    // values already at their sorted position
    const $ordered = $arr«¦.slice()».sort((p, q) => p - q);
    let $cnt = 0;
    for (let $i = 0; $i < $arr.length; $i++) {
        if ($arr[$i] === $ordered[$i]) $cnt++;
    }
    return $cnt;
}
""",
    {WA: 1},
)

_js(
    "resource_leak",
    "arrays",
    "own",
    r"""
function main() {
    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
    const $n = $data[0];
    const $vals = $data.slice(1, 1 + $n);
    @CALLS
    let $done = 0;
    const $timer = setInterval(() => {
        $done += 1;
    }, 1000);
    console.log(String($vals.reduce((p, q) => p + q, 0)));
«¦    clearInterval($timer);
»}

main();
""",
    {TLE: 1},
)
_js(
    "resource_leak",
    "strings",
    "own",
    r"""
const fs = require("fs");

function main() {
    const $lines = fs.readFileSync(0, "utf8").split("\n");
    const $nq = Number($lines[0]);
    for (let $i = 1; $i <= $nq; $i++) {
        const $fd = fs.openSync("log.txt", "a");
        fs.writeSync($fd, $lines[$i] + "\n");
«¦        fs.closeSync($fd);
»    }
    console.log(String($nq));
}

main();
""",
    {RE: 1},
)

_js(
    "misread_constraints",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
    // 1-indexed position of the first maximum
    let $best = 0;
    for (let $i = 1; $i < $arr.length; $i++) {
        if ($arr[$i] > $arr[$best]) $best = $i;
    }
    return $best«¦ + 1»;
}
""",
    {WA: 1},
)
_js(
    "misread_constraints",
    "sorting",
    "own",
    r"""
function main() {
    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
    const $n = $data[0];
    const $vals = $data.slice(1, 1 + $n).sort((p, q) => p - q);
    @CALLS
    console.log(«String($vals)¦$vals.join(" ")»);
}

main();
""",
    {WA: 1},
)

_js(
    "wrong_problem_entirely",
    "arrays",
    "arr",
    r"""
function $fn($arr) {
«    return Math.max(...$arr);
¦    return $arr.reduce((p, q) => p + q, 0);
»}
""",
)
_js(
    "wrong_problem_entirely",
    "strings",
    "str",
    r"""
function $fn($s) {
«    return $s.split("").reverse().join("");
¦    return $s === $s.split("").reverse().join("") ? "YES" : "NO";
»}
""",
)

_js(
    "missing_requirements",
    "arrays",
    "arr_k",
    r"""
function $fn($arr, $k) {
    // first 1-indexed position where the prefix sum reaches k, or -1
    let $acc = 0;
    for (let $i = 0; $i < $arr.length; $i++) {
        $acc += $arr[$i];
        if ($acc >= $k) return $i + 1;
    }
    return «$arr.length¦-1»;
}
""",
)
_js(
    "missing_requirements",
    "queries",
    "own",
    r"""
function main() {
    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
    let $pos = 0;
    const $n = $data[$pos++];
    const $nq = $data[$pos++];
    const $vals = $data.slice($pos, $pos + $n);
    $pos += $n;
    const $out = [];
    for (let $t = 0; $t < $nq; $t++) {
        const $kind = $data[$pos++];
        if ($kind === 1) {
            const $i = $data[$pos++];
            $vals[$i - 1] = $data[$pos++];
«        } else {
            $out.push($vals.reduce((p, q) => p + q, 0));
        }
¦        } else if ($kind === 2) {
            $out.push($vals.reduce((p, q) => p + q, 0));
        } else {
            $out.push(Math.max(...$vals));
        }
»    }
    console.log($out.join("\n"));
}

main();
""",
)


# ---------------------------------------------------------------------------------------------
# Distractors: harmless look-alikes of each subtype's pattern (a correct ``range(1, n)``, a
# bounded nested loop, a small unmemoised recursion, an ``open()`` that is closed...). A body
# updates ``$r`` from the list ``$xs``; ``pre`` holds any top-level function it needs. The
# style wrappers place a body in a helper the main function calls for a debug print.

_DECOYS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "python": {
        "off_by_one": (
            ("for $i in range(1, len($xs)):\n    $r = max($r, $xs[$i])", ""),
            ("for $i in range(len($xs) - 1):\n    if $xs[$i] > $xs[$i + 1]:\n        $r += 1", ""),
            ("$last = len($xs) - 1\nwhile $last >= 0:\n    $r += $xs[$last]\n    $last -= 1", ""),
        ),
        "boundary_condition": (
            ("if $xs:\n    $r += $xs[0] + $xs[-1]", ""),
            ("$r += $xs[-1] - $xs[0]", ""),
        ),
        "comparison_error": (
            ("for $v in $xs:\n    if $v >= $r:\n        $r = $v", ""),
            ("$r = sum(1 for $v in $xs if $v > 0 and $v <= $L)", ""),
        ),
        "wrong_invariant": (
            (
                "$cur = 0\nfor $v in $xs:\n    $cur = max($v, $cur + $v)\n    $r = max($r, $cur)",
                "",
            ),
            ("$acc = 0\nfor $v in $xs:\n    $acc += $v\n    $r = max($r, $acc)", ""),
        ),
        "partial_case_handling": (
            (
                "for $v in $xs:\n    if $v < 0:\n        $r -= 1\n    elif $v > 0:\n        $r += 1",
                "",
            ),
            ("$r = len($xs) % 2 if len($xs) > 1 else 0", ""),
        ),
        "wrong_complexity": (
            (
                "for $i in range(len($xs)):\n    for $j in range($i + 1, min(len($xs), $i + $K)):\n"
                "        $r += $xs[$i] == $xs[$j]",
                "",
            ),
            ("for $v in $xs:\n    for $bit in range($K):\n        $r += ($v >> $bit) & 1", ""),
        ),
        "suboptimal_data_structure": (
            (
                "$seen = set()\nfor $v in $xs:\n    if $v in $seen:\n        $r += 1\n    $seen.add($v)",
                "",
            ),
            ("for $v in $xs:\n    if $v in ($K, $L):\n        $r += 1", ""),
        ),
        "redundant_operations": (
            ("$total = sum($xs)\nfor $v in $xs:\n    $r += $total - $v", ""),
            ("$ordered = sorted($xs)\n$r = $ordered[len($ordered) // 2] if $ordered else 0", ""),
        ),
        "missing_memoization": (
            (
                "def $g($k):\n    return $k if $k < 2 else $g($k - 1) + $g($k - 2)\n\n$r += $g($K + 4)",
                "",
            ),
            (
                "def $g($k):\n    if $k <= 1:\n        return 1\n    return $g($k - 1) + $g($k - 2)\n\n"
                "$r = $g(min(len($xs), $K))",
                "",
            ),
        ),
        "null_reference": (
            ("$m = {}\nfor $v in $xs:\n    $m[$v] = $m.get($v, 0) + 1\n$r = len($m)", ""),
            (
                "$found = next(($v for $v in $xs if $v > $K), None)\nif $found is not None:\n    $r = $found",
                "",
            ),
            ("$first = $xs[0] if $xs else None\nif $first == None:\n    $r = -1", ""),
        ),
        "type_mismatch": (
            ('$label = "n=" + str(len($xs))\n$r = len($label)', ""),
            ('$r = int(str(len($xs)) + "0") // 10', ""),
        ),
        "state_mutation": (
            (
                "$copy = list($xs)\nfor $v in list($copy):\n    if $v < 0:\n        $copy.remove($v)\n"
                "$r = len($copy)",
                "",
            ),
            ("$copy = $xs[:]\n$copy.sort()\n$r = $copy[0] if $copy else 0", ""),
        ),
        "resource_leak": (
            ('$sink = open("/dev/null", "w")\nprint($r, file=$sink)\n$sink.close()', ""),
            ("$fh = sys.stdin\n$r = 0 if $fh.closed else 1", ""),
        ),
        "misread_constraints": (
            ("for $v in $xs:\n    $r = ($r + $v) % $M", ""),
            ("$r = $xs.index(max($xs)) + 1 if $xs else 0", ""),
        ),
        "wrong_problem_entirely": (
            ("$r = max($xs, default=0) - min($xs, default=0)", ""),
            ("$r = len(set($xs))", ""),
        ),
        "missing_requirements": (
            (
                "$mode = len($xs) % 2\nif $mode == 0:\n    $r = sum($xs)\nelse:\n    $r = len($xs)",
                "",
            ),
            (
                "for $v in $xs:\n    if $v % 3 == 0:\n        $r += 1\n    elif $v % 3 == 1:\n"
                "        $r -= 1",
                "",
            ),
        ),
    },
    "cpp": {
        "off_by_one": (
            ("int $n = (int) $xs.size() - 1;\nfor (int $i = 0; $i <= $n; $i++) $r += $xs[$i];", ""),
            ("for (size_t $i = 1; $i < $xs.size(); $i++) $r = max($r, (long long) $xs[$i]);", ""),
        ),
        "boundary_condition": (
            ("if (!$xs.empty()) $r += $xs[0] + $xs.back();", ""),
            ("$r += $xs.front();", ""),
        ),
        "comparison_error": (("for (int $v : $xs) if ($v >= $r) $r = $v;", ""),),
        "wrong_invariant": (
            (
                "long long $cur = 0;\nfor (int $v : $xs) {\n    $cur = max((long long) $v, $cur + $v);\n"
                "    $r = max($r, $cur);\n}",
                "",
            ),
        ),
        "partial_case_handling": (
            ("for (int $v : $xs) {\n    if ($v < 0) $r--;\n    else if ($v > 0) $r++;\n}", ""),
        ),
        "wrong_complexity": (
            (
                "for (size_t $i = 0; $i < $xs.size(); $i++)\n"
                "    for (size_t $j = $i + 1; $j < $xs.size() && $j < $i + $K; $j++)\n"
                "        $r += $xs[$i] == $xs[$j];",
                "",
            ),
        ),
        "suboptimal_data_structure": (
            (
                "unordered_set<int> $seen;\nfor (int $v : $xs) {\n    if ($seen.count($v)) $r++;\n"
                "    $seen.insert($v);\n}",
                "",
            ),
        ),
        "redundant_operations": (
            (
                "long long $total = accumulate($xs.begin(), $xs.end(), 0LL);\n"
                "for (int $v : $xs) $r += $total - $v;",
                "",
            ),
        ),
        "missing_memoization": (
            (
                "$r += $g($K + 4);",
                "long long $g(int $k) {\n    return $k < 2 ? $k : $g($k - 1) + $g($k - 2);\n}",
            ),
        ),
        "null_reference": (
            (
                "const int* $p = $xs.empty() ? nullptr : &$xs[0];\nif ($p != nullptr) $r = *$p;",
                "",
            ),
        ),
        "type_mismatch": (
            ("string $label = to_string($xs.size());\n$r += (long long) $label.size();", ""),
        ),
        "state_mutation": (
            (
                "vector<int> $copy($xs.begin(), $xs.end());\nsort($copy.begin(), $copy.end());\n"
                "$r += (long long) $copy.size();",
                "",
            ),
        ),
        "resource_leak": (
            ("static int* $pool = new int[$L];\n$pool[0] = (int) $xs.size();\n$r += $pool[0];", ""),
        ),
        "misread_constraints": (("for (int $v : $xs) $r = ($r + $v) % $M;", ""),),
        "wrong_problem_entirely": (
            (
                "if (!$xs.empty()) {\n    $r = *max_element($xs.begin(), $xs.end());\n"
                "    $r -= *min_element($xs.begin(), $xs.end());\n}",
                "",
            ),
        ),
        "missing_requirements": (
            (
                "if ($xs.size() % 2 == 0) $r = accumulate($xs.begin(), $xs.end(), 0LL);\n"
                "else $r = (long long) $xs.size();",
                "",
            ),
        ),
    },
    "java": {
        "off_by_one": (
            ("int $n = $xs.length - 1;\nfor (int $i = 0; $i <= $n; $i++) $r += $xs[$i];", ""),
            ("for (int $i = 1; $i < $xs.length; $i++) $r = Math.max($r, $xs[$i]);", ""),
        ),
        "boundary_condition": (
            ("if ($xs.length > 0) $r += $xs[0] + $xs[$xs.length - 1];", ""),
            ("$r += $xs[0];", ""),
        ),
        "comparison_error": (("for (int $v : $xs) if ($v >= $r) $r = $v;", ""),),
        "wrong_invariant": (
            (
                "long $cur = 0;\nfor (int $v : $xs) {\n    $cur = Math.max($v, $cur + $v);\n"
                "    $r = Math.max($r, $cur);\n}",
                "",
            ),
        ),
        "partial_case_handling": (
            ("for (int $v : $xs) {\n    if ($v < 0) $r--;\n    else if ($v > 0) $r++;\n}", ""),
        ),
        "wrong_complexity": (
            (
                "for (int $i = 0; $i < $xs.length; $i++)\n"
                "    for (int $j = $i + 1; $j < $xs.length && $j < $i + $K; $j++)\n"
                "        if ($xs[$i] == $xs[$j]) $r++;",
                "",
            ),
        ),
        "suboptimal_data_structure": (
            (
                "Set<Integer> $seen = new HashSet<>();\nfor (int $v : $xs) if (!$seen.add($v)) $r++;",
                "",
            ),
        ),
        "redundant_operations": (
            (
                "long $total = 0;\nfor (int $v : $xs) $total += $v;\n"
                "for (int $v : $xs) $r += $total - $v;",
                "",
            ),
        ),
        "missing_memoization": (
            (
                "$r += $g($K + 4);",
                "static long $g(int $k) {\n    return $k < 2 ? $k : $g($k - 1) + $g($k - 2);\n}",
            ),
        ),
        "null_reference": (
            (
                "Map<Integer, Integer> $m = new HashMap<>();\n"
                "for (int $v : $xs) $m.merge($v, 1, Integer::sum);\n$r = $m.getOrDefault($K, 0);",
                "",
            ),
        ),
        "type_mismatch": (('String $label = "n=" + $xs.length;\n$r += $label.length();', ""),),
        "state_mutation": (
            ("int[] $copy = $xs.clone();\nArrays.sort($copy);\n$r += $copy.length;", ""),
        ),
        "resource_leak": (
            (
                'try (BufferedReader $fh = new BufferedReader(new StringReader(""))) {\n'
                "    $r += $fh.read() < 0 ? 1 : 0;\n} catch (IOException $chk) {\n    $r = -1;\n}",
                "",
            ),
        ),
        "misread_constraints": (("for (int $v : $xs) $r = ($r + $v) % $M;", ""),),
        "wrong_problem_entirely": (
            (
                "$r = Arrays.stream($xs).max().orElse(0) - Arrays.stream($xs).min().orElse(0);",
                "",
            ),
        ),
        "missing_requirements": (
            (
                "if ($xs.length % 2 == 0) {\n    for (int $v : $xs) $r += $v;\n} else {\n"
                "    $r = $xs.length;\n}",
                "",
            ),
        ),
    },
    "javascript": {
        "off_by_one": (
            ("const $n = $xs.length - 1;\nfor (let $i = 0; $i <= $n; $i++) $r += $xs[$i];", ""),
            ("for (let $i = 1; $i < $xs.length; $i++) $r = Math.max($r, $xs[$i]);", ""),
        ),
        "boundary_condition": (
            ("if ($xs.length > 0) $r += $xs[0] + $xs[$xs.length - 1];", ""),
            ("$r += $xs[0];", ""),
        ),
        "comparison_error": (("for (const $v of $xs) if ($v >= $r) $r = $v;", ""),),
        "wrong_invariant": (
            (
                "let $cur = 0;\nfor (const $v of $xs) {\n    $cur = Math.max($v, $cur + $v);\n"
                "    $r = Math.max($r, $cur);\n}",
                "",
            ),
        ),
        "partial_case_handling": (
            ("for (const $v of $xs) {\n    if ($v < 0) $r--;\n    else if ($v > 0) $r++;\n}", ""),
        ),
        "wrong_complexity": (
            (
                "for (let $i = 0; $i < $xs.length; $i++)\n"
                "    for (let $j = $i + 1; $j < $xs.length && $j < $i + $K; $j++)\n"
                "        if ($xs[$i] === $xs[$j]) $r++;",
                "",
            ),
        ),
        "suboptimal_data_structure": (
            (
                "const $seen = new Set();\nfor (const $v of $xs) {\n    if ($seen.has($v)) $r++;\n"
                "    $seen.add($v);\n}",
                "",
            ),
        ),
        "redundant_operations": (
            (
                "const $total = $xs.reduce((p, q) => p + q, 0);\n"
                "for (const $v of $xs) $r += $total - $v;",
                "",
            ),
        ),
        "missing_memoization": (
            (
                "$r += $g($K + 4);",
                "function $g($k) {\n    return $k < 2 ? $k : $g($k - 1) + $g($k - 2);\n}",
            ),
        ),
        "null_reference": (
            ("const $found = $xs.find((p) => p > $K);\nif ($found !== undefined) $r = $found;", ""),
        ),
        "type_mismatch": (('const $label = "n=" + String($xs.length);\n$r += $label.length;', ""),),
        "state_mutation": (
            ("const $copy = [...$xs].sort((p, q) => p - q);\n$r += $copy.length;", ""),
        ),
        "resource_leak": (
            ("const $timer = setTimeout(() => {}, 0);\nclearTimeout($timer);\n$r += 1;", ""),
        ),
        "misread_constraints": (("for (const $v of $xs) $r = ($r + $v) % $M;", ""),),
        "wrong_problem_entirely": (
            ("if ($xs.length) $r = Math.max(...$xs) - Math.min(...$xs);", ""),
        ),
        "missing_requirements": (
            (
                "if ($xs.length % 2 === 0) $r = $xs.reduce((p, q) => p + q, 0);\n"
                "else $r = $xs.length;",
                "",
            ),
        ),
    },
}

_WRAPPERS: dict[str, dict[str, str]] = {
    "python": {
        "flat": "def $h($xs):\n    $r = 0\n    @BODY\n    return $r\n",
        "nested": (
            "def $h($xs):\n    $r = 0\n    for $rnd in range($K):\n        @BODY\n    return $r\n"
        ),
        "recursion": (
            "def $h($xs, $depth=$K):\n    if $depth > 0:\n        return $h($xs, $depth - 1)\n"
            "    $r = 0\n    @BODY\n    return $r\n"
        ),
        "indexing": (
            "def $h($xs):\n    $r = 0\n    for $i in range(1, len($xs)):\n"
            "        $r += $xs[$i] - $xs[$i - 1]\n    @BODY\n    return $r\n"
        ),
        "mixed": (
            "def $h($xs):\n    $r = 0\n    for $i in range(1, len($xs)):\n"
            "        $r += $xs[$i] * $xs[$i - 1] % $K\n    for $rnd in range($K):\n"
            "        @BODY\n    return $r\n"
        ),
    },
    "cpp": {
        "flat": "long long $h(const vector<int>& $xs) {\n    long long $r = 0;\n    @BODY\n"
        "    return $r;\n}\n",
        "nested": "long long $h(const vector<int>& $xs) {\n    long long $r = 0;\n"
        "    for (int $rnd = 0; $rnd < $K; $rnd++) {\n        @BODY\n    }\n    return $r;\n}\n",
        "recursion": "long long $h(const vector<int>& $xs, int $depth = $K) {\n"
        "    if ($depth > 0) return $h($xs, $depth - 1);\n    long long $r = 0;\n    @BODY\n"
        "    return $r;\n}\n",
        "indexing": "long long $h(const vector<int>& $xs) {\n    long long $r = 0;\n"
        "    for (size_t $i = 1; $i < $xs.size(); $i++) $r += $xs[$i] - $xs[$i - 1];\n"
        "    @BODY\n    return $r;\n}\n",
        "mixed": "long long $h(const vector<int>& $xs) {\n    long long $r = 0;\n"
        "    for (size_t $i = 1; $i < $xs.size(); $i++) $r += $xs[$i] * $xs[$i - 1] % $K;\n"
        "    for (int $rnd = 0; $rnd < $K; $rnd++) {\n        @BODY\n    }\n    return $r;\n}\n",
    },
    "java": {
        "flat": "static long $h(int[] $xs) {\n    long $r = 0;\n    @BODY\n    return $r;\n}\n",
        "nested": "static long $h(int[] $xs) {\n    long $r = 0;\n"
        "    for (int $rnd = 0; $rnd < $K; $rnd++) {\n        @BODY\n    }\n    return $r;\n}\n",
        "recursion": "static long $h(int[] $xs) {\n    return $h($xs, $K);\n}\n\n"
        "static long $h(int[] $xs, int $depth) {\n    if ($depth > 0) return $h($xs, $depth - 1);\n"
        "    long $r = 0;\n    @BODY\n    return $r;\n}\n",
        "indexing": "static long $h(int[] $xs) {\n    long $r = 0;\n"
        "    for (int $i = 1; $i < $xs.length; $i++) $r += $xs[$i] - $xs[$i - 1];\n"
        "    @BODY\n    return $r;\n}\n",
        "mixed": "static long $h(int[] $xs) {\n    long $r = 0;\n"
        "    for (int $i = 1; $i < $xs.length; $i++) $r += (long) $xs[$i] * $xs[$i - 1] % $K;\n"
        "    for (int $rnd = 0; $rnd < $K; $rnd++) {\n        @BODY\n    }\n    return $r;\n}\n",
    },
    "javascript": {
        "flat": "function $h($xs) {\n    let $r = 0;\n    @BODY\n    return $r;\n}\n",
        "nested": "function $h($xs) {\n    let $r = 0;\n"
        "    for (let $rnd = 0; $rnd < $K; $rnd++) {\n        @BODY\n    }\n    return $r;\n}\n",
        "recursion": "function $h($xs, $depth = $K) {\n    if ($depth > 0) return $h($xs, $depth - 1);\n"
        "    let $r = 0;\n    @BODY\n    return $r;\n}\n",
        "indexing": "function $h($xs) {\n    let $r = 0;\n"
        "    for (let $i = 1; $i < $xs.length; $i++) $r += $xs[$i] - $xs[$i - 1];\n"
        "    @BODY\n    return $r;\n}\n",
        "mixed": "function $h($xs) {\n    let $r = 0;\n"
        "    for (let $i = 1; $i < $xs.length; $i++) $r += ($xs[$i] * $xs[$i - 1]) % $K;\n"
        "    for (let $rnd = 0; $rnd < $K; $rnd++) {\n        @BODY\n    }\n    return $r;\n}\n",
    },
}

# A debug line in main that calls the distractor helper; ``ARG`` becomes the main's data.
_CALLS: dict[str, str] = {
    "python": "‹print($h(ARG), file=sys.stderr)¦$chk = $h(ARG)›\n",
    "cpp": '‹cerr << $h(ARG) << "\\n";¦long long $chk = $h(ARG);\n(void) $chk;›\n',
    "java": "System.err.println($h(ARG));\n",
    "javascript": "‹console.error($h(ARG));¦const $chk = $h(ARG);›\n",
}
_CALL_ARGS: dict[str, dict[str, str]] = {
    "python": {"n": "[$n]", "str": "[len($s)]"},
    "cpp": {"n": "vector<int>{(int) $n}", "str": "vector<int>{(int) $s.size()}"},
    "java": {"n": "new int[] {$n}", "str": "new int[] {$s.length()}"},
    "javascript": {"n": "[$n]", "str": "[$s.length]"},
}

_MAINS: dict[str, dict[str, str]] = {
    "python": {
        "arr": r"""
def main():
‹    $data = sys.stdin.read().split()
    $n = int($data[0])
    $vals = [int($x) for $x in $data[1:1 + $n]]
¦    $n = int(sys.stdin.readline())
    $vals = list(map(int, sys.stdin.readline().split()))[:$n]
›    @CALLS
    print($fn($vals))


‹if __name__ == "__main__":
    main()¦main()›
""",
        "arr_k": r"""
def main():
    $data = sys.stdin.read().split()
    $n, $k = int($data[0]), int($data[1])
    $vals = [int($x) for $x in $data[2:2 + $n]]
    @CALLS
    print($fn($vals, $k))


‹if __name__ == "__main__":
    main()¦main()›
""",
        "n": r"""
def main():
    $n = int(‹input()¦sys.stdin.readline()›)
    @CALLS
    print($fn($n))


‹if __name__ == "__main__":
    main()¦main()›
""",
        "str": r"""
def main():
    $s = ‹input()¦sys.stdin.readline()›.strip()
    @CALLS
    print($fn($s))


main()
""",
        "multi": r"""
def main():
    $data = sys.stdin.read().split()
    $t = int($data[0])
    $pos = 1
    $out = []
    for _ in range($t):
        $n = int($data[$pos])
        $vals = [int($x) for $x in $data[$pos + 1:$pos + 1 + $n]]
        $pos += 1 + $n
        @CALLS
        $out.append(str($fn($vals)))
    print("\n".join($out))


main()
""",
    },
    "cpp": {
        "arr": r"""
int main() {
‹    ios::sync_with_stdio(false);
    cin.tie(nullptr);
¦›    int $n;
    cin >> $n;
    vector<int> $vals($n);
‹    for (auto& $x : $vals) cin >> $x;
¦    for (int $i = 0; $i < $n; $i++) cin >> $vals[$i];
›    @CALLS
    cout << $fn($vals) << ‹"\n"¦endl›;
    return 0;
}
""",
        "arr_k": r"""
int main() {
    int $n, $k;
    cin >> $n >> $k;
    vector<int> $vals($n);
    for (auto& $x : $vals) cin >> $x;
    @CALLS
    cout << $fn($vals, $k) << "\n";
    return 0;
}
""",
        "n": r"""
int main() {
    long long $n;
    cin >> $n;
    @CALLS
    cout << $fn($n) << ‹"\n"¦endl›;
    return 0;
}
""",
        "str": r"""
int main() {
    string $s;
    getline(cin, $s);
    @CALLS
    cout << $fn($s) << "\n";
    return 0;
}
""",
        "multi": r"""
int main() {
    int $t;
    cin >> $t;
    while ($t--) {
        int $n;
        cin >> $n;
        vector<int> $vals($n);
        for (auto& $x : $vals) cin >> $x;
        @CALLS
        cout << $fn($vals) << "\n";
    }
    return 0;
}
""",
    },
    "java": {
        "arr": r"""
public static void main(String[] args) throws IOException {
‹    Scanner $sc = new Scanner(System.in);
    int $n = $sc.nextInt();
    int[] $vals = new int[$n];
    for (int $i = 0; $i < $n; $i++) $vals[$i] = $sc.nextInt();
¦    StreamTokenizer $st = new StreamTokenizer(new BufferedReader(new InputStreamReader(System.in)));
    $st.nextToken();
    int $n = (int) $st.nval;
    int[] $vals = new int[$n];
    for (int $i = 0; $i < $n; $i++) {
        $st.nextToken();
        $vals[$i] = (int) $st.nval;
    }
›    @CALLS
    System.out.println($fn($vals));
}
""",
        "arr_k": r"""
public static void main(String[] args) throws IOException {
    Scanner $sc = new Scanner(System.in);
    int $n = $sc.nextInt();
    int $k = $sc.nextInt();
    int[] $vals = new int[$n];
    for (int $i = 0; $i < $n; $i++) $vals[$i] = $sc.nextInt();
    @CALLS
    System.out.println($fn($vals, $k));
}
""",
        "n": r"""
public static void main(String[] args) throws IOException {
    BufferedReader $br = new BufferedReader(new InputStreamReader(System.in));
    int $n = Integer.parseInt($br.readLine().trim());
    @CALLS
    System.out.println($fn($n));
}
""",
        "str": r"""
public static void main(String[] args) throws IOException {
    BufferedReader $br = new BufferedReader(new InputStreamReader(System.in));
    String $s = $br.readLine();
    if ($s == null) $s = "";
    @CALLS
    System.out.println($fn($s));
}
""",
        "multi": r"""
public static void main(String[] args) throws IOException {
    StreamTokenizer $st = new StreamTokenizer(new BufferedReader(new InputStreamReader(System.in)));
    $st.nextToken();
    int $t = (int) $st.nval;
    StringBuilder $sb = new StringBuilder();
    while ($t-- > 0) {
        $st.nextToken();
        int $n = (int) $st.nval;
        int[] $vals = new int[$n];
        for (int $i = 0; $i < $n; $i++) {
            $st.nextToken();
            $vals[$i] = (int) $st.nval;
        }
        @CALLS
        $sb.append($fn($vals)).append('\n');
    }
    System.out.print($sb);
}
""",
    },
    "javascript": {
        "arr": r"""
function main() {
‹    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
    const $n = $data[0];
    const $vals = $data.slice(1, 1 + $n);
¦    const $lines = require("fs").readFileSync(0, "utf8").split("\n");
    const $n = parseInt($lines[0], 10);
    const $vals = ($lines[1] || "").trim().split(" ").filter(Boolean).map(Number).slice(0, $n);
›    @CALLS
    console.log(String($fn($vals)));
}

main();
""",
        "arr_k": r"""
function main() {
    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
    const [$n, $k] = $data;
    const $vals = $data.slice(2, 2 + $n);
    @CALLS
    console.log(String($fn($vals, $k)));
}

main();
""",
        "n": r"""
function main() {
    const $n = Number(require("fs").readFileSync(0, "utf8").trim());
    @CALLS
    console.log(String($fn($n)));
}

main();
""",
        "str": r"""
function main() {
    const $s = require("fs").readFileSync(0, "utf8").split("\n")[0].trim();
    @CALLS
    console.log(String($fn($s)));
}

main();
""",
        "multi": r"""
function main() {
    const $data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
    let $pos = 0;
    const $t = $data[$pos++];
    const $out = [];
    for (let $i = 0; $i < $t; $i++) {
        const $n = $data[$pos++];
        const $vals = $data.slice($pos, $pos + $n);
        $pos += $n;
        @CALLS
        $out.push(String($fn($vals)));
    }
    console.log($out.join("\n"));
}

main();
""",
    },
}

# A learner's personal boilerplate: neutral helpers pasted into every submission.
_FILLERS: dict[str, tuple[str, ...]] = {
    "python": (
        "def read_ints():\n    return list(map(int, sys.stdin.readline().split()))\n",
        "def euclid(a, b):\n    while b:\n        a, b = b, a % b\n    return a\n",
        "def clamp(value, low, high):\n    return max(low, min(high, value))\n",
        "def debug(*args):\n    print(*args, file=sys.stderr)\n",
        'INF = float("inf")\nMOD = 10**9 + 7\n',
        "def is_prime(x):\n    if x < 2:\n        return False\n    d = 2\n    while d * d <= x:\n"
        "        if x % d == 0:\n            return False\n        d += 1\n    return True\n",
    ),
    "cpp": (
        "typedef long long ll;\n",
        "const int MOD = 1000000007;\n",
        "long long gcdll(long long a, long long b) {\n    return b ? gcdll(b, a % b) : a;\n}\n",
        "template <class T> void chmax(T& a, const T& b) {\n    if (b > a) a = b;\n}\n",
        "#define all(v) (v).begin(), (v).end()\n",
        "const int INF = INT_MAX / 2;\n",
    ),
    "java": (
        "static final int MOD = 1_000_000_007;\n",
        "static long gcd(long a, long b) {\n    return b == 0 ? a : gcd(b, a % b);\n}\n",
        "static int clamp(int v, int lo, int hi) {\n    return Math.max(lo, Math.min(hi, v));\n}\n",
        "static void debug(Object... objs) {\n    System.err.println(Arrays.deepToString(objs));\n}\n",
    ),
    "javascript": (
        "const MOD = 1000000007;\n",
        "function gcd(a, b) {\n    return b === 0 ? a : gcd(b, a % b);\n}\n",
        "const debug = (...args) => console.error(...args);\n",
        "function clamp(v, lo, hi) {\n    return Math.max(lo, Math.min(hi, v));\n}\n",
    ),
}
_COMMENT = {"python": "#", "cpp": "//", "java": "//", "javascript": "//"}
_HOIST = {
    "python": ("import ", "from "),
    "cpp": ("#include",),
    "java": ("import ",),
    "javascript": (),
}


@dataclass(frozen=True)
class _Decoy:
    subtype: str
    language: str
    number: int
    body: str
    pre: str


_DECOY_LIST: dict[tuple[str, str], tuple[_Decoy, ...]] = {
    (language, subtype): tuple(
        _Decoy(subtype, language, number, body, pre)
        for number, (body, pre) in enumerate(_DECOYS[language][subtype], start=1)
    )
    for language in LANGUAGES
    for subtype in ALL_SUBTYPES
}
_TREE_CACHE: dict[tuple[Any, ...], _Tree] = {}


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


def _decoy_tree(decoy: _Decoy, style: str) -> _Tree:
    key = ("decoy", decoy.language, decoy.subtype, decoy.number, style)
    tree = _TREE_CACHE.get(key)
    if tree is None:
        lines = []
        for line in _WRAPPERS[decoy.language][style].rstrip("\n").split("\n"):
            if line.strip() == "@BODY":
                lines.append(_indent(decoy.body, line[: len(line) - len(line.lstrip())]))
            else:
                lines.append(line)
        text = "\n".join(lines) + "\n"
        if decoy.pre:
            text = decoy.pre + "\n\n" + text
        tree = _TREE_CACHE[key] = _parse(text)
    return tree


def _main_tree(language: str, sig: str) -> _Tree | None:
    if sig == "own":
        return None
    key = ("main", language, sig)
    tree = _TREE_CACHE.get(key)
    if tree is None:
        tree = _TREE_CACHE[key] = _parse(_MAINS[language][sig].strip("\n") + "\n")
    return tree


def _calls_tree(language: str, sig: str) -> _Tree:
    key = ("calls", language, sig)
    tree = _TREE_CACHE.get(key)
    if tree is None:
        arg = _CALL_ARGS[language].get(sig, "$vals")
        tree = _TREE_CACHE[key] = _parse(_CALLS[language].replace("ARG", arg))
    return tree


# ---------------------------------------------------------------------------------------------
# Indexes over the catalogue.

_BY_KEY: dict[tuple[str, str], tuple[_Template, ...]] = {}
for _template in _TEMPLATES:
    _BY_KEY[(_template.subtype, _template.language)] = (
        *_BY_KEY.get((_template.subtype, _template.language), ()),
        _template,
    )
del _template

# The verdicts a subtype's templates produce; label noise picks one outside this set.
TYPICAL_VERDICTS: dict[str, frozenset[str]] = {
    subtype: frozenset(
        verdict
        for template in _TEMPLATES
        if template.subtype == subtype
        for verdict, weight in template.verdicts
        if weight > 0
    )
    for subtype in ALL_SUBTYPES
}


def template_counts() -> dict[str, dict[str, int]]:
    """Bug templates per subtype and language (a missing language falls back to Python)."""
    return {
        subtype: {language: len(_BY_KEY.get((subtype, language), ())) for language in LANGUAGES}
        for subtype in ALL_SUBTYPES
    }


# ---------------------------------------------------------------------------------------------
# Drafts: one piece of code with its bug, names and variations; retries edit a draft.


@dataclass(frozen=True)
class _Draft:
    template: _Template
    names: Mapping[str, str]
    picks: tuple[int, ...]
    decoy: _Decoy | None
    style: str | None
    distractor_kind: str | None
    fillers: tuple[int, ...]
    header: bool
    verdict: str

    @property
    def language(self) -> str:
        return self.template.language


def _code(draft: _Draft, title: str, *, bug: bool) -> str:
    template = draft.template
    language = template.language
    names, picks = draft.names, draft.picks
    blocks = [_FILLERS[language][index] for index in draft.fillers]
    calls = ""
    if draft.decoy is not None and draft.style is not None:
        decoy = _decoy_tree(draft.decoy, draft.style)
        blocks.append(_render(decoy, names, picks, _OFFSET_DECOY, bug))
        calls = _render(_calls_tree(language, template.sig), names, picks, _OFFSET_CALLS, bug)
    blocks.append(_render(template.tree, names, picks, _OFFSET_TEMPLATE, bug))
    main = _main_tree(language, template.sig)
    if main is not None:
        blocks.append(_render(main, names, picks, _OFFSET_MAIN, bug))
    header = f"{_COMMENT[language]} {title}" if draft.header else None
    return _assemble(language, blocks, calls, header)


def _assemble(language: str, blocks: Sequence[str], calls: str, header: str | None) -> str:
    """Join the blocks into one program: imports hoisted, ``@CALLS`` filled, Java wrapped."""
    hoist = _HOIST[language]
    hoisted: list[str] = []
    call_lines = calls.rstrip("\n").split("\n") if calls.strip() else []
    cleaned: list[str] = []
    for block in blocks:
        kept: list[str] = []
        for line in block.split("\n"):
            if hoist and line.startswith(hoist):
                if line not in hoisted:
                    hoisted.append(line)
            elif line.strip() == "@CALLS":
                indent = line[: len(line) - len(line.lstrip())]
                kept.extend(indent + call for call in call_lines)
            else:
                kept.append(line)
        text = "\n".join(kept).strip("\n")
        if text:
            cleaned.append(text)
    head = [header] if header else []
    if language == "python":
        head += ["import sys", *(line for line in hoisted if line != "import sys")]
        code = "\n".join(head) + "\n\n\n" + "\n\n\n".join(cleaned)
    elif language == "cpp":
        head += ["#include <bits/stdc++.h>", *hoisted, "", "using namespace std;"]
        code = "\n".join(head) + "\n\n" + "\n\n".join(cleaned)
    elif language == "java":
        head += ["import java.io.*;", "import java.util.*;", *hoisted, "", "public class Main {"]
        body = "\n\n".join(_indent(block, "    ") for block in cleaned)
        code = "\n".join(head) + "\n" + body + "\n}"
    else:
        code = "\n\n".join([*head, *cleaned])
    lines = [line.rstrip() for line in code.split("\n")]
    code = "\n".join(lines).strip("\n")
    code = (
        re.sub(r"\n{4,}", "\n\n\n", code)
        if language == "python"
        else re.sub(r"\n{3,}", "\n\n", code)
    )
    return code + "\n"


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


# ---------------------------------------------------------------------------------------------
# Problems and learners.


def _problems(count: int) -> tuple[SyntheticProblem, ...]:
    """The problem catalogue: fixed for a count, so ``syn-p001`` means one problem everywhere."""
    rng = random.Random(f"mim-synthetic-problems:{count}")  # noqa: S311 - synthetic data, not security
    families = sorted(_FAMILIES)
    used: dict[str, int] = {}
    problems = []
    for number in range(1, count + 1):
        family = families[number - 1] if number <= len(families) else rng.choice(families)
        tags, titles, base = _FAMILIES[family]
        seen = used.get(family, 0)
        used[family] = seen + 1
        title = titles[seen % len(titles)]
        if seen >= len(titles):
            title = f"{title} {seen // len(titles) + 1}"
        extra = tuple(tag for tag in tags[1:] if rng.random() < 0.5)
        problems.append(
            SyntheticProblem(
                external_id=f"syn-p{number:03d}",
                title=title,
                tags=(tags[0], *extra),
                category=family,
                difficulty=min(10, max(1, base + rng.randint(-2, 3))),
            )
        )
    return tuple(problems)


@dataclass(frozen=True)
class _Record:
    session: int
    problem: SyntheticProblem
    draft: _Draft
    accepted: bool
    verdict: str


class _Learner:
    """One learner's attempt history, from its own seeded stream."""

    def __init__(
        self,
        config: SyntheticConfig,
        seed: int,
        index: int,
        problems: tuple[SyntheticProblem, ...],
    ) -> None:
        self.config = config
        self.seed = seed
        self.index = index
        self.problems = problems
        rng = self.rng = random.Random(f"mim-synthetic:{seed}:{index}")  # noqa: S311 - synthetic data, not security
        self.primary = rng.choice(config.languages)
        self.weak = self._weak_subtypes()
        self.skill = rng.uniform(-_SKILL_SPREAD, _SKILL_SPREAD)
        self.boilerplate = {
            language: tuple(
                sorted(rng.sample(range(len(_FILLERS[language])), rng.choice((0, 0, 1, 1, 2, 3))))
            )
            for language in LANGUAGES
        }
        self.comments = rng.random() < 0.3

    def _weak_subtypes(self) -> tuple[str, ...]:
        rng = self.rng
        wanted = rng.choice((2, 2, 3))
        weak: list[str] = []
        weights = [SUBTYPE_WEIGHTS[s] for s in ALL_SUBTYPES]
        while len(weak) < wanted:
            subtype = rng.choices(ALL_SUBTYPES, weights=weights)[0]
            if subtype not in weak:
                weak.append(subtype)
        return tuple(weak)

    def _bug_subtype(self, exclude: str | None = None) -> str:
        rng = self.rng
        while True:
            if self.weak and rng.random() < _WEAK_SUBTYPE_SHARE:
                subtype = rng.choice(self.weak)
            else:
                weights = [SUBTYPE_WEIGHTS[s] for s in ALL_SUBTYPES]
                subtype = rng.choices(ALL_SUBTYPES, weights=weights)[0]
            if subtype != exclude:
                return subtype

    def _template(
        self, subtype: str, language: str, family: str, avoid: _Template | None
    ) -> _Template:
        candidates = _BY_KEY.get((subtype, language)) or _BY_KEY[(subtype, "python")]
        if avoid is not None and len(candidates) > 1:
            candidates = tuple(t for t in candidates if t is not avoid)
        weights = [_FAMILY_MATCH_WEIGHT if t.family == family else 1.0 for t in candidates]
        return self.rng.choices(candidates, weights=weights)[0]

    def _draft(
        self,
        subtype: str,
        language: str,
        problem: SyntheticProblem,
        *,
        failed: bool,
        avoid: _Template | None = None,
    ) -> _Draft:
        rng, config = self.rng, self.config
        template = self._template(subtype, language, problem.category, avoid)
        lang = template.language
        kind: str | None = None
        source = subtype
        draw = rng.random()
        if failed:
            root = ROOT_OF_SUBTYPE[subtype]
            if draw < config.ambiguous_template_rate:
                kind = "cross"
                other = rng.choice([r for r in ROOT_CAUSES if r != root])
                source = rng.choice(subtypes_of(other))
            elif draw < config.ambiguous_template_rate + config.intra_root_template_rate:
                kind = "intra"
                source = rng.choice([s for s in subtypes_of(root) if s != subtype])
        elif draw < _HARMLESS_ACCEPTED_RATE:
            kind = "harmless"
            source = rng.choice(ALL_SUBTYPES)
        decoy = style = None
        slots = set(template.tree.slots)
        main = _main_tree(lang, template.sig)
        if main is not None:
            slots |= main.slots
        if kind is not None:
            decoy = rng.choice(_DECOY_LIST[(lang, source)])
            style = rng.choice(config.distractor_styles)
            slots |= _decoy_tree(decoy, style).slots | _calls_tree(lang, template.sig).slots
        names: dict[str, str] = {}
        _assign_names(slots, lang, rng, names)
        return _Draft(
            template=template,
            names=names,
            picks=tuple(rng.getrandbits(30) for _ in range(_PICKS)),
            decoy=decoy,
            style=style,
            distractor_kind=kind,
            fillers=self.boilerplate[lang],
            header=self.comments and rng.random() < 0.8,
            verdict=_weighted(rng, template.verdicts),
        )

    def _tweak(self, draft: _Draft) -> _Draft:
        """A retry: the same code with a small edit (a variation, a rename, boilerplate)."""
        rng = self.rng
        names = dict(draft.names)
        picks = list(draft.picks)
        fillers = set(draft.fillers)
        header = draft.header
        for edit in rng.sample(("pick", "rename", "filler", "header"), rng.choice((1, 1, 2))):
            if edit == "pick":
                index = rng.choice((0, 1, 2, 3, _OFFSET_MAIN, _OFFSET_MAIN + 1, _OFFSET_DECOY))
                picks[index] = rng.getrandbits(30)
            elif edit == "rename":
                slots = sorted(s for s in draft.template.tree.slots if _role(s) not in _NUMERIC)
                if slots:
                    slot = rng.choice(slots)
                    del names[slot]
                    _assign_names((slot,), draft.language, rng, names)
            elif edit == "filler":
                fillers ^= {rng.randrange(len(_FILLERS[draft.language]))}
            else:
                header = not header
        return replace(
            draft, names=names, picks=tuple(picks), fillers=tuple(sorted(fillers)), header=header
        )

    def _noisy(self, draft: _Draft) -> str:
        """The draft's verdict, or with label_noise_rate one atypical of its subtype."""
        rng = self.rng
        if rng.random() >= self.config.label_noise_rate:
            return draft.verdict
        typical = TYPICAL_VERDICTS[draft.template.subtype]
        others = [v for v in FAILED_VERDICTS if v not in typical] or [
            v for v in FAILED_VERDICTS if v != draft.verdict
        ]
        return rng.choice(others)

    def _records(self) -> list[_Record]:
        rng, config = self.rng, self.config
        total = rng.randint(*config.attempts_per_learner)
        records: list[_Record] = []
        tried: set[str] = set()
        session = 0
        while len(records) < total:
            fresh = [p for p in self.problems if p.external_id not in tried]
            problem = rng.choice(fresh or self.problems)
            tried.add(problem.external_id)
            language = (
                self.primary
                if rng.random() < _PRIMARY_LANGUAGE_SHARE
                else rng.choice(config.languages)
            )
            accept = config.accepted_rate + self.skill - 0.015 * (problem.difficulty - 5)
            accept = min(max(accept, 0.0), 1.0)
            draft: _Draft | None = None
            for _ in range(_MAX_SESSION_ATTEMPTS):
                if len(records) >= total:
                    break
                if rng.random() < accept:
                    if draft is None:
                        subtype = rng.choice(ALL_SUBTYPES)
                        draft = self._draft(subtype, language, problem, failed=False)
                    elif rng.random() < 0.5:
                        draft = self._tweak(draft)
                    records.append(_Record(session, problem, draft, True, "accepted"))
                    break
                if draft is None:
                    draft = self._draft(self._bug_subtype(), language, problem, failed=True)
                else:
                    subtype = draft.template.subtype
                    edit = rng.random()
                    if edit < _SAME_DRAFT_RETRY:
                        draft = self._tweak(draft)
                    elif edit < _SAME_SUBTYPE_RETRY:
                        draft = self._draft(
                            subtype, language, problem, failed=True, avoid=draft.template
                        )
                    else:
                        new = self._bug_subtype(exclude=subtype)
                        draft = self._draft(new, language, problem, failed=True)
                records.append(_Record(session, problem, draft, False, self._noisy(draft)))
                if rng.random() < _ABANDON_AFTER_FAIL:
                    break
            session += 1
        return records

    def _seconds(self, records: Sequence[_Record]) -> list[int]:
        """Offsets from config.start: minutes between retries, days between problems."""
        rng = self.rng
        gaps: list[tuple[float, bool]] = []
        for position, record in enumerate(records):
            if position == 0:
                gaps.append((0.0, True))
            elif record.session != records[position - 1].session:
                gap = min(max(rng.lognormvariate(11.2, 1.0), 1800.0), 20 * 86400.0)
                gaps.append((gap, True))
            else:
                gaps.append((min(max(rng.lognormvariate(6.0, 0.7), 45.0), 4 * 3600.0), False))
        span = self.config.days * 86400 - 1 - len(records)
        between = sum(g for g, new in gaps if new)
        within = sum(g for g, new in gaps if not new)
        offset = rng.uniform(0, span * 0.5)
        between_scale = within_scale = 1.0
        if offset + between + within > span:
            # Squeeze the days between problems first, the minutes between retries last.
            if within <= span - offset:
                between_scale = (span - offset - within) / between if between else 1.0
            else:
                offset = 0.0
                between_scale = 0.0
                within_scale = span / within if within else 1.0
        seconds: list[int] = []
        clock = offset
        for gap, new in gaps:
            clock += gap * (between_scale if new else within_scale)
            second = int(clock)
            if seconds and second <= seconds[-1]:
                second = seconds[-1] + 1
            seconds.append(second)
        return seconds

    def attempts(self) -> list[SyntheticAttempt]:
        records = self._records()
        seconds = self._seconds(records)
        start = self.config.start
        attempts = []
        for number, (record, second) in enumerate(zip(records, seconds, strict=True), start=1):
            draft = record.draft
            kind = draft.distractor_kind
            if kind is not None and record.accepted:
                kind = "harmless"
            distractor = (
                f"{kind}:{draft.decoy.subtype}:{draft.style}"
                if kind is not None and draft.decoy is not None
                else None
            )
            subtype = None if record.accepted else draft.template.subtype
            attempts.append(
                SyntheticAttempt(
                    external_id=f"syn-{self.seed}-{self.index:04d}-{number:03d}",
                    user_id=f"syn-u{self.index:04d}",
                    problem_id=record.problem.external_id,
                    language=draft.language,
                    code=_code(draft, record.problem.title, bug=not record.accepted),
                    verdict=record.verdict,
                    submitted_at=start + timedelta(seconds=second),
                    root_cause=None if subtype is None else ROOT_OF_SUBTYPE[subtype],
                    subtype=subtype,
                    template=draft.template.id + ("+fix" if record.accepted else ""),
                    distractor=distractor,
                )
            )
        return attempts


def _check_config(config: SyntheticConfig, learners: int) -> None:
    problems = []
    if learners < 0:
        problems.append("learners must be >= 0")
    for name in (
        "ambiguous_template_rate",
        "intra_root_template_rate",
        "accepted_rate",
        "label_noise_rate",
    ):
        if not 0.0 <= getattr(config, name) <= 1.0:
            problems.append(f"{name} must be in [0, 1]")
    if config.ambiguous_template_rate + config.intra_root_template_rate > 1.0:
        problems.append("ambiguous_template_rate + intra_root_template_rate must be <= 1")
    if not config.languages or not set(config.languages) <= set(LANGUAGES):
        problems.append(f"languages must be a non-empty selection of {LANGUAGES}")
    if not config.distractor_styles or not set(config.distractor_styles) <= set(DISTRACTOR_STYLES):
        problems.append(f"distractor_styles must be a non-empty selection of {DISTRACTOR_STYLES}")
    low, high = config.attempts_per_learner
    if not 1 <= low <= high:
        problems.append("attempts_per_learner must be (low, high) with 1 <= low <= high")
    if config.problems < 1 or config.days < 1:
        problems.append("problems and days must be >= 1")
    if config.start.tzinfo is None or config.start.utcoffset() != timedelta(0):
        problems.append("start must be an aware UTC datetime")
    if problems:
        raise ValueError("invalid synthetic config: " + "; ".join(problems))


def generate(
    *, learners: int, seed: int, config: SyntheticConfig = DEFAULT_CONFIG
) -> SyntheticDataset:
    """Generate ``learners`` learners' histories; the same arguments give the same dataset."""
    _check_config(config, learners)
    problems = _problems(config.problems)
    attempts: list[SyntheticAttempt] = []
    for index in range(1, learners + 1):
        attempts.extend(_Learner(config, seed, index, problems).attempts())
    attempts.sort(key=lambda a: (a.submitted_at, a.external_id))
    return SyntheticDataset(problems=problems, attempts=tuple(attempts))


def to_records(dataset: SyntheticDataset) -> list[dict[str, Any]]:
    """JSON/parquet-friendly rows: every attempt field (ISO datetimes) plus its problem's."""
    problems = {problem.external_id: problem for problem in dataset.problems}
    rows = []
    for attempt in dataset.attempts:
        problem = problems[attempt.problem_id]
        rows.append(
            {
                "external_id": attempt.external_id,
                "user_id": attempt.user_id,
                "problem_id": attempt.problem_id,
                "language": attempt.language,
                "code": attempt.code,
                "verdict": attempt.verdict,
                "submitted_at": attempt.submitted_at.isoformat(),
                "root_cause": attempt.root_cause,
                "subtype": attempt.subtype,
                "template": attempt.template,
                "distractor": attempt.distractor,
                "problem_title": problem.title,
                "problem_tags": list(problem.tags),
                "problem_category": problem.category,
                "problem_difficulty": problem.difficulty,
            }
        )
    return rows
