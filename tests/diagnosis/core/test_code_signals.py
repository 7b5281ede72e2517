"""Code-signal extraction: Python AST heuristics, the regex fallback, scoring and robustness."""

from __future__ import annotations

import math
import random
import textwrap

import pytest

from diagnosis.core.code_signals import (
    CODE_SIGNAL_FEATURES,
    COMPLEXITY_CLASSES,
    FINDING_KINDS,
    MAX_FINDINGS,
    MAX_PROFILE_COUNT,
    PROFILE_FEATURES,
    CodeSignals,
    CodeSignalWeights,
    empty_signals,
    extract_code_signals,
)


def signals(code: str | bytes, language: str = "python", **kwargs: object) -> CodeSignals:
    if isinstance(code, str):
        code = textwrap.dedent(code).lstrip("\n")
    return extract_code_signals(code=code, language=language, **kwargs)  # type: ignore[arg-type]


def assert_sane(result: CodeSignals) -> None:
    features = result.as_features()
    assert tuple(features) == CODE_SIGNAL_FEATURES
    assert all(isinstance(v, float) and math.isfinite(v) for v in features.values())
    for risk in (
        result.off_by_one_risk,
        result.correctness_risk,
        result.efficiency_risk,
        result.implementation_risk,
        result.boundary_risk,
        result.understanding_risk,
    ):
        assert 0.0 <= risk <= 1.0
    assert result.estimated_complexity in COMPLEXITY_CLASSES
    assert len(result.findings) <= MAX_FINDINGS
    assert all(f.kind in FINDING_KINDS and f.line >= 1 for f in result.findings)
    assert all(len(f.detail) <= 80 for f in result.findings)
    assert list(result.findings) == sorted(result.findings, key=lambda f: (f.line, f.kind))


# --- Python: off-by-one --------------------------------------------------------------------


def test_range_len_minus_one_without_lookahead_is_off_by_one() -> None:
    result = signals(
        """
        def total(a):
            s = 0
            for i in range(len(a) - 1):
                s += a[i]
            return s
        """
    )
    assert result.parsed
    assert result.off_by_one_count >= 1
    assert result.lines_of("off_by_one") == (3,)
    assert result.off_by_one_risk > 0.0
    assert result.correctness_risk > 0.0


def test_range_one_to_n_is_flagged_but_balanced_and_justified_ranges_are_not() -> None:
    flagged = signals(
        """
        def f(n, a):
            for i in range(1, n):
                print(a[i])
        """
    )
    balanced = signals(
        """
        def f(n, a):
            for i in range(1, n + 1):
                print(a[i])
        """
    )
    justified = signals(
        """
        def is_sorted(a):
            for i in range(len(a) - 1):
                if a[i] > a[i + 1]:
                    return False
            return True
        """
    )
    assert flagged.lines_of("off_by_one") == (2,)
    assert balanced.off_by_one_count == 0
    assert justified.off_by_one_count == 0


def test_lookahead_index_in_full_range_loop_is_off_by_one() -> None:
    result = signals(
        """
        def rises(a):
            count = 0
            for i in range(len(a)):
                if a[i] < a[i + 1]:
                    count += 1
            return count
        """
    )
    assert result.lines_of("off_by_one") == (4,)


def test_while_le_len_and_index_at_len_are_off_by_one() -> None:
    result = signals(
        """
        def walk(a):
            i = 0
            while i <= len(a):
                i += 1
            return a[len(a)]
        """
    )
    assert result.lines_of("off_by_one") == (3, 5)
    assert result.off_by_one_count == 2


# --- Python: structure and complexity ------------------------------------------------------


def test_exact_counts_of_a_small_program() -> None:
    result = signals(
        """
        def classify(xs):
            out = []
            for x in xs:
                if x > 0:
                    if x > 10:
                        out.append("big")
                elif x < 0:
                    out.append("neg")
            return out


        def total(xs):
            s = 0
            i = 0
            while i < len(xs):
                s += xs[i]
                i += 1
            return s if s > 0 else 0
        """
    )
    assert result.parsed
    assert result.function_count == 2
    assert result.loop_count == 2
    assert result.condition_count == 4  # if, nested if, elif, ternary
    assert result.max_condition_depth == 2  # elif stays at its if's depth
    assert result.max_loop_depth == 1
    assert result.line_count == 16
    assert result.estimated_complexity == "O(n)"
    assert result.off_by_one_count == 0
    assert not result.has_recursion


def test_nested_loops_give_depth_two_and_quadratic_complexity() -> None:
    result = signals(
        """
        def dup(a):
            for i in range(len(a)):
                for j in range(len(a)):
                    if i != j and a[i] == a[j]:
                        return True
            return False
        """
    )
    assert result.max_loop_depth == 2
    assert result.estimated_complexity == "O(n^2)"
    assert result.lines_of("nested_loop") == (3,)
    assert 3 in result.lines_of("inefficiency")  # both loops walk the same collection


def test_comprehension_generators_count_as_nested_loops() -> None:
    result = signals("flat = [x for row in grid for x in row]\n")
    assert result.loop_count == 2
    assert result.max_loop_depth == 2
    assert result.estimated_complexity == "O(n^2)"


def test_constant_inner_loop_does_not_raise_complexity() -> None:
    result = signals(
        """
        def bfs(q):
            while q:
                x, y = q.pop()
                for dx, dy in [(0, 1), (1, 0), (0, -1), (-1, 0)]:
                    print(x + dx, y + dy)
        """
    )
    assert result.max_loop_depth == 2
    assert result.estimated_complexity == "O(n)"


def test_binary_search_is_logarithmic_and_sort_is_n_log_n() -> None:
    search = signals(
        """
        def find(a, x):
            lo, hi = 0, len(a) - 1
            while lo <= hi:
                mid = (lo + hi) // 2
                if a[mid] < x:
                    lo = mid + 1
                else:
                    hi = mid - 1
            return lo
        """
    )
    sort = signals("def f(a):\n    return sorted(a)[0] if a else None\n")
    assert search.estimated_complexity == "O(log n)"
    assert search.off_by_one_count == 0
    assert sort.estimated_complexity == "O(n log n)"


def test_branching_recursion_without_memo_is_exponential_and_inefficient() -> None:
    result = signals(
        """
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        """
    )
    assert result.has_recursion
    assert not result.has_memoization
    assert result.estimated_complexity == "O(2^n)"
    assert result.inefficiency_count >= 1
    assert result.lines_of("inefficiency") == (4,)
    assert result.lines_of("recursion") == (4,)


def test_lru_cache_makes_recursion_memoized_and_linear() -> None:
    result = signals(
        """
        from functools import lru_cache


        @lru_cache(maxsize=None)
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        """
    )
    assert result.has_recursion
    assert result.has_memoization
    assert result.estimated_complexity == "O(n)"
    assert result.inefficiency_count == 0
    assert result.lines_of("memoization") == (4,)


def test_memo_dict_lookup_counts_as_memoization() -> None:
    result = signals(
        """
        memo = {}


        def ways(n):
            if n in memo:
                return memo[n]
            memo[n] = n if n < 2 else ways(n - 1) + ways(n - 2)
            return memo[n]
        """
    )
    assert result.has_memoization
    assert result.estimated_complexity == "O(n)"
    assert result.inefficiency_count == 0


def test_tree_recursion_on_child_attributes_is_linear() -> None:
    result = signals(
        """
        def size(node):
            if node is None:
                return 0
            return 1 + size(node.left) + size(node.right)
        """
    )
    assert result.has_recursion
    assert result.estimated_complexity == "O(n)"
    assert result.inefficiency_count == 0


def test_python_inefficiency_patterns_inside_loops() -> None:
    result = signals(
        """
        def f(words):
            seen = []
            text = ""
            for w in words:
                if w not in seen:
                    seen.append(w)
                text += w
                words.sort()
            return text
        """
    )
    assert result.lines_of("inefficiency") == (5, 7, 8)
    assert result.estimated_complexity == "O(n^2)"


def test_python_implementation_risks_are_located() -> None:
    result = signals(
        """
        def f(a, acc=[]):
            fh = open("data.txt")
            grid = [[0] * 3] * 4
            for x in a:
                if x == None:
                    a.remove(x)
            return a[0], grid, fh
        """
    )
    assert result.lines_of("mutation_risk") == (1, 3, 6)
    assert result.lines_of("resource_risk") == (2,)
    assert result.lines_of("null_risk") == (5,)
    assert result.lines_of("boundary_risk") == (7,)
    assert result.implementation_risk > 0.5


def test_guarded_edge_access_is_not_a_boundary_risk() -> None:
    guarded = signals(
        """
        def first(a):
            if not a:
                return None
            return a[0]
        """
    )
    unguarded = signals("def first(a):\n    return a[0]\n")
    assert guarded.boundary_risk_count == 0
    assert unguarded.boundary_risk_count == 1


def test_python_overflow_and_type_risks() -> None:
    result = signals(
        """
        n = input()
        for i in range(n):
            print("total: " + len(str(i)))
        big = 2 ** n
        half = int(big / 3)
        """
    )
    assert result.lines_of("type_risk") == (2, 3)
    assert result.lines_of("overflow_risk") == (4, 5)
    assert result.overflow_risk_count == 2


def test_python_syntax_error_falls_back_with_a_located_finding() -> None:
    result = signals(
        """
        def f(n):
            for i in range(1, n):
                for j in range(n)
                    print(i, j)
        """
    )
    assert not result.parsed
    assert result.lines_of("syntax_error") == (3,)
    assert result.max_loop_depth == 2
    assert result.loop_count == 2
    assert result.function_count == 1
    assert result.lines_of("off_by_one") == (2,)
    assert result.implementation_risk >= 0.9


# --- Fallback languages -------------------------------------------------------------------

CPP = """
#include <bits/stdc++.h>
using namespace std;

int fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

int main() {
    int n;
    cin >> n;
    vector<int> a(n);
    long long total = 0;
    for (int i = 0; i <= n; i++) {
        for (int j = 0; j < n; j++) {
            total += a[i] + a[j];
        }
    }
    int area = n * n;
    cout << fib(n) << total << area << endl;
    return 0;
}
"""

JAVA = """
import java.util.*;

public class Main {
    static int sum(int[] arr) {
        int total = 0;
        for (int i = 0; i <= arr.length; i++) {
            total += arr[i];
        }
        return total;
    }

    static long ways(int n) {
        if (n <= 1) return 1;
        return ways(n - 1) + ways(n - 2);
    }

    public static void main(String[] args) {
        int w = 100000, h = 100000;
        int area = w * h;
        String s = "";
        for (int i = 0; i < area; i++) s += i;
        System.out.println(sum(new int[] {1, 2}) + ways(5) + s);
    }
}
"""

JAVASCRIPT = """
function fib(n) {
  if (n <= 1) return n;
  return fib(n - 1) + fib(n - 2);
}

const memo = new Map();
const ways = (n) => {
  if (memo.has(n)) return memo.get(n);
  const r = n < 2 ? 1 : ways(n - 1) + ways(n - 2);
  memo.set(n, r);
  return r;
};

const rows = [[1, 2], [3, 4]];
for (let i = 0; i <= rows.length; i++) {
  rows[i].forEach((x) => {
    if (x == i) console.log(x);
  });
}
"""


def test_cpp_fallback_structure_recursion_off_by_one_and_overflow() -> None:
    result = signals(CPP, "cpp")
    assert not result.parsed
    assert result.language == "cpp"
    assert result.function_count == 2
    assert result.loop_count == 2
    assert result.max_loop_depth == 2
    assert result.condition_count == 1
    assert result.has_recursion
    assert result.estimated_complexity == "O(2^n)"
    assert result.lines_of("recursion") == (6,)
    assert result.lines_of("off_by_one") == (14,)
    assert result.lines_of("nested_loop") == (15,)
    assert result.lines_of("overflow_risk") == (19,)


def test_java_fallback_length_bound_int_product_and_string_concat() -> None:
    result = signals(JAVA, "java")
    assert not result.parsed
    assert result.function_count == 3
    assert result.max_loop_depth == 1
    assert result.has_recursion
    assert result.lines_of("recursion") == (14,)
    assert result.lines_of("off_by_one") == (6,)
    assert 19 in result.lines_of("overflow_risk")  # int area = w * h
    assert 21 in result.lines_of("inefficiency")  # String += in a loop
    assert result.estimated_complexity == "O(2^n)"


def test_javascript_fallback_callbacks_memo_and_loose_equality() -> None:
    result = signals(JAVASCRIPT, "javascript")
    assert not result.parsed
    assert result.function_count == 2  # fib and the named arrow ways
    assert result.loop_count == 2  # for + forEach
    assert result.max_loop_depth == 2
    assert result.has_recursion
    assert result.has_memoization
    assert result.lines_of("recursion") == (3, 9)
    # fib branches without memo; ways is memoized through the Map.
    assert result.lines_of("inefficiency") == (3,)
    assert result.lines_of("off_by_one") == (15,)
    assert result.lines_of("type_risk") == (17,)


def test_braceless_nested_loops_are_tracked() -> None:
    code = """
    int main() {
        int n = 10, c = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                c++;
        for (int k = 0; k < n; k++) c--;
        return c;
    }
    """
    result = signals(code, "cpp")
    assert result.loop_count == 3
    assert result.max_loop_depth == 2
    assert result.estimated_complexity == "O(n^2)"


def test_cpp_memoized_recursion_is_not_exponential() -> None:
    code = """
    long long memo[100];
    long long fib(int n) {
        if (n < 2) return n;
        if (memo[n]) return memo[n];
        return memo[n] = fib(n - 1) + fib(n - 2);
    }
    """
    result = signals(code, "cpp")
    assert result.has_recursion
    assert result.has_memoization
    assert result.estimated_complexity == "O(n)"
    assert result.inefficiency_count == 0


def test_comments_and_strings_do_not_count_in_the_fallback() -> None:
    code = """
    // for (int i = 0; i <= n; i++) { for (;;) {} }
    /* while (x) { if (y) {} } */
    int main() {
        const char* s = "for (int i = 0; i <= n; i++)";
        return 0;
    }
    """
    result = signals(code, "cpp")
    assert result.loop_count == 0
    assert result.condition_count == 0
    assert result.off_by_one_count == 0
    assert result.function_count == 1


# --- Scoring -------------------------------------------------------------------------------

SLOW_CODE = """
def count(a):
    c = 0
    for x in a:
        for y in a:
            if x == y:
                c += 1
    return c
"""


def test_time_limit_raises_efficiency_and_wrong_answer_raises_correctness() -> None:
    tle = signals(SLOW_CODE, verdict="time_limit_exceeded")
    wa = signals(SLOW_CODE, verdict="wrong_answer")
    assert tle.efficiency_risk > wa.efficiency_risk
    assert wa.correctness_risk > tle.correctness_risk
    assert wa.boundary_risk > tle.boundary_risk


def test_verdict_aliases_and_error_verdicts() -> None:
    base = signals(SLOW_CODE)
    assert signals(SLOW_CODE, verdict="TLE") == signals(SLOW_CODE, verdict="time_limit_exceeded")
    runtime_error = signals(SLOW_CODE, verdict="Runtime Error")
    assert runtime_error.implementation_risk > base.implementation_risk
    assert (
        signals(SLOW_CODE, verdict="compilation_error").implementation_risk
        > base.implementation_risk
    )
    assert signals(SLOW_CODE, verdict="accepted") == base


def test_risks_are_monotone_in_finding_counts() -> None:
    one = signals("for i in range(1, n):\n    pass\n")
    two = signals("for i in range(1, n):\n    pass\nfor j in range(1, m):\n    pass\n")
    assert two.off_by_one_count == one.off_by_one_count + 1
    assert two.off_by_one_risk > one.off_by_one_risk
    assert two.correctness_risk > one.correctness_risk


def test_missing_idiom_for_problem_tags_raises_understanding_risk() -> None:
    plain = signals(SLOW_CODE, problem_tags=["arrays"])
    dp = signals(SLOW_CODE, problem_tags=["Dynamic Programming", "binary-search"])
    assert dp.understanding_risk > plain.understanding_risk


def test_weights_override_and_bad_weights_stay_in_range() -> None:
    no_tle_weight = CodeSignalWeights(efficiency_time_limit=0.0)
    tle = signals(SLOW_CODE, verdict="time_limit_exceeded", weights=no_tle_weight)
    assert tle.efficiency_risk == signals(SLOW_CODE, weights=no_tle_weight).efficiency_risk
    odd = CodeSignalWeights(off_by_one=float("nan"), correctness_off_by_one=7.0)
    result = signals("for i in range(1, n):\n    pass\n", weights=odd)
    assert result.off_by_one_risk == 0.0
    assert result.correctness_risk == 1.0
    assert_sane(result)


def test_findings_are_capped_but_counts_are_not() -> None:
    code = "".join(f"for i in range(1, n{k}):\n    pass\n" for k in range(120))
    result = signals(code)
    assert result.off_by_one_count == 120
    assert len(result.findings) == MAX_FINDINGS
    assert result.findings[0].line == 1


# --- Contract and robustness ---------------------------------------------------------------


def test_as_features_follow_the_declared_order() -> None:
    result = signals(SLOW_CODE)
    features = result.as_features()
    assert list(features) == list(CODE_SIGNAL_FEATURES)
    assert features["ast_complexity_rank"] == float(COMPLEXITY_CLASSES.index("O(n^2)"))
    assert features["code_parsed"] == 1.0
    assert features["ast_max_loop_depth"] == 2.0
    assert_sane(result)


def test_extraction_is_deterministic() -> None:
    first = signals(JAVASCRIPT, "javascript", verdict="wrong_answer", problem_tags=["dp"])
    second = signals(JAVASCRIPT, "javascript", verdict="wrong_answer", problem_tags=["dp"])
    assert first == second
    assert first.findings == second.findings
    assert signals(CPP, "cpp") == signals(CPP, "cpp")


def test_empty_code_gives_empty_signals() -> None:
    assert extract_code_signals(code="", language="python") == empty_signals("python")
    assert extract_code_signals(code=" \n\t \n", language="Java") == empty_signals("java")
    empty = empty_signals("cpp")
    assert empty.estimated_complexity == "O(1)"
    assert empty.findings == ()
    assert all(v == 0.0 for v in empty.as_features().values())


def _junk(size: int) -> str:
    rng = random.Random(7)
    return "".join(rng.choice("(){}[];:=+-*/<>!&|abfxyz0189 \n\t\"'`#/\\") for _ in range(size))


NESTED_IFS_500 = "".join(" " * i + f"if x{i}:\n" for i in range(500)) + " " * 500 + "y\n"
ROBUSTNESS_CASES = {
    "whitespace": ("   \n\n\t", False),
    "junk_100kb": (_junk(100_000), False),
    "nested_ifs_500": (NESTED_IFS_500, False),
    "parens_10000": ("x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n", False),
    "long_sum_100000": ("x = " + "+".join(["a"] * 100_000) + "\n", False),
    "braces_10000": ("{" * 10_000 + "for(;;){" * 3000, False),
    "one_long_identifier": ("a" * 200_000, True),
    "unterminated_comment_and_string": ("/*" * 50_000 + '"' * 50_000, False),
}


@pytest.mark.parametrize("case", sorted(ROBUSTNESS_CASES))
@pytest.mark.parametrize("language", ["python", "cpp", "java", "javascript", "cobol"])
def test_hostile_input_never_raises(case: str, language: str) -> None:
    # Patterns run on capped lines, so these finish in milliseconds; a catastrophic regex
    # would show up as a suite that no longer finishes, not as a timing assertion.
    code, parses_as_python = ROBUSTNESS_CASES[case]
    result = extract_code_signals(code=code, language=language, verdict=None)
    assert_sane(result)
    assert result.parsed is (parses_as_python and language == "python")


def test_deep_nesting_is_measured_without_recursion() -> None:
    too_deep = signals(NESTED_IFS_500)
    assert not too_deep.parsed  # CPython refuses > 100 indentation levels
    assert too_deep.max_condition_depth == 500
    assert too_deep.lines_of("syntax_error") != ()
    loops = "".join("  " * i + f"for i{i} in range(n):\n" for i in range(90)) + "  " * 90 + "y\n"
    parsed = signals(loops)
    assert parsed.parsed
    assert parsed.max_loop_depth == 90
    assert parsed.estimated_complexity == "O(n^3)"


def test_bytes_are_decoded_and_nul_bytes_stripped() -> None:
    result = signals(b"for i in range(1, n):\x00\n    print(i)  # \xff\xfe\n")
    assert_sane(result)
    assert result.parsed
    assert result.lines_of("off_by_one") == (1,)
    binary = extract_code_signals(code=bytes(range(256)) * 40, language="python")
    assert_sane(binary)
    assert not binary.parsed


def test_unknown_language_and_odd_arguments_use_the_fallback() -> None:
    code = "for (int i = 0; i <= n; i++) { x(); }\n"
    result = extract_code_signals(
        code=code,
        language="  COBOL  ",
        verdict="  ",
        problem_tags=[None, 3],  # type: ignore[list-item]
    )
    assert_sane(result)
    assert result.language == "cobol"
    assert not result.parsed
    assert result.loop_count == 1
    assert result.off_by_one_count == 1
    assert extract_code_signals(code=code, language="C++").language == "cpp"


# ---------------------------------------------------------------------------------------------
# Code profile (PROFILE_FEATURES): each signal fires on its construct and stays quiet without it.


def profile(code: str, language: str = "python", **kwargs: object) -> dict[str, float]:
    result = signals(code, language, **kwargs)
    assert_sane(result)
    return {name: result.as_features()[name] for name in PROFILE_FEATURES}


def test_profile_features_are_part_of_the_code_signal_vector() -> None:
    assert CODE_SIGNAL_FEATURES[-len(PROFILE_FEATURES) :] == PROFILE_FEATURES
    assert empty_signals("python").as_features()["tag_trace_share"] == 0.0
    assert all(empty_signals("cpp").as_features()[name] == 0.0 for name in PROFILE_FEATURES)


def test_comparison_profile_counts_strictness_and_mixed_bounds() -> None:
    mixed = profile(
        """
        def f(a, k):
            lo, hi = 0, len(a) - 1
            while lo <= hi:
                if a[lo] + a[hi] < k and lo < hi:
                    lo += 1
                if a[lo] == 7 or hi > 10:
                    hi -= 1
            return lo
        """
    )
    assert mixed["cmp_nonstrict_count"] == 1
    assert mixed["cmp_strict_count"] == 3
    assert mixed["cmp_equality_count"] == 1
    assert mixed["cmp_mixed_strictness"] == 2  # lo and hi, both ways
    assert mixed["cmp_literal_bound_count"] == 1  # hi > 10
    plain = profile("def f(a):\n    return a\n")
    assert plain["cmp_strict_count"] == plain["cmp_mixed_strictness"] == 0


def test_comparison_profile_in_cpp_ignores_templates_and_streams() -> None:
    code = """
    #include <vector>
    int main() {
        vector<pair<int, int>> v;
        map<string, vector<int>> m;
        cout << v.size() << endl;
        for (int i = 0; i < n; i++) if (v[i].first >= k) cnt++;
    }
    """
    result = profile(code, "cpp")
    assert result["cmp_strict_count"] == 1
    assert result["cmp_nonstrict_count"] == 1


def test_accumulator_reset_inside_its_loop() -> None:
    buggy = profile(
        """
        def f(a, k):
            cnt = 0
            for v in a:
                acc = 0
                acc += v
                if acc >= k:
                    cnt += 1
            return cnt
        """
    )
    fixed = profile(
        """
        def f(a, k):
            cnt = 0
            acc = 0
            for v in a:
                acc += v
                if acc >= k:
                    cnt += 1
            return cnt
        """
    )
    assert buggy["state_reset_in_loop"] == 1
    assert fixed["state_reset_in_loop"] == 0
    java = profile(
        "for (int x : a) {\n    int s = 0;\n    s += x;\n    if (s > k) c++;\n}\n", "java"
    )
    assert java["state_reset_in_loop"] == 1


def test_running_extreme_tested_right_after_its_update() -> None:
    buggy = profile(
        """
        def f(a):
            best = float("-inf")
            cnt = 0
            for v in a:
                best = max(best, v)
                if v > best:
                    cnt += 1
            return cnt
        """
    )
    fixed = profile(
        """
        def f(a):
            best = float("-inf")
            cnt = 0
            for v in a:
                if v > best:
                    cnt += 1
                best = max(best, v)
            return cnt
        """
    )
    assert buggy["state_extreme_updated_before_test"] == 1
    assert fixed["state_extreme_updated_before_test"] == 0
    js = "for (const v of a) {\n    best = Math.max(best, v);\n    if (v > best) c++;\n}\n"
    assert profile(js, "javascript")["state_extreme_updated_before_test"] == 1


def test_unreduced_product_and_large_modulus() -> None:
    unreduced = profile("def f(a):\n    p = 1\n    for v in a:\n        p = p * v\n    return p\n")
    reduced = profile(
        "M = 10**9 + 7\ndef f(a):\n    p = 1\n    for v in a:\n"
        "        p = p * v % M\n    return p\n"
    )
    assert unreduced["state_product_unreduced"] == 1
    assert unreduced["arith_modulo_count"] == unreduced["arith_large_modulus"] == 0
    assert reduced["state_product_unreduced"] == 0
    assert reduced["arith_modulo_count"] == reduced["arith_large_modulus"] == 1
    cpp = profile("for (int x : a) { p *= x; }\nr = s % 1000000007;\n", "cpp")
    assert cpp["state_product_unreduced"] == 1
    assert cpp["arith_large_modulus"] == 1
    assert cpp["lit_max_log10"] == pytest.approx(9.0, abs=1e-6)


def test_true_division_by_language() -> None:
    assert profile("def f(a):\n    return sum(a) / len(a)\n")["arith_true_division"] == 1
    assert profile("def f(a):\n    return sum(a) // len(a)\n")["arith_true_division"] == 0
    assert profile("int m = s / n;\n", "cpp")["arith_true_division"] == 0
    assert profile("double m = (double) s / n;\n", "cpp")["arith_true_division"] == 1
    assert profile("const m = s / n;\n", "javascript")["arith_true_division"] == 1
    assert profile("const m = Math.floor(s / n);\n", "javascript")["arith_true_division"] == 0


def test_hard_coded_literals() -> None:
    result = profile("N = 100005\nK = 3\ndef f(a):\n    return [0] * N, a[:K], 1, 2\n")
    assert result["lit_magic_count"] == 2
    assert result["lit_max_log10"] == pytest.approx(math.log10(100005))
    assert profile("def f(a):\n    return a[0] + 1\n")["lit_magic_count"] == 0


def test_input_output_handling() -> None:
    per_line = profile(
        """
        import sys
        def main():
            data = sys.stdin.read().split()
            n = int(data[0])
            k = data[1]
            for v in sorted(data[2:2 + n]):
                print(v)
        """
    )
    assert per_line["io_read_count"] == 2  # sys.stdin and .read()
    assert per_line["io_write_in_loop"] == 1
    assert per_line["io_joined_output"] == 0
    assert per_line["io_raw_token_use"] == 1  # k = data[1], never converted
    joined = profile(
        """
        def main():
            t = int(input())
            for _ in range(t):
                n = int(input())
                vals = list(map(int, input().split()))
            print(" ".join(map(str, vals)))
        """
    )
    assert joined["io_read_in_loop"] == 2
    assert joined["io_write_in_loop"] == 0
    assert joined["io_joined_output"] == 1
    assert joined["io_raw_token_use"] == 0
    assert profile("def main():\n    n = input()\n")["io_raw_token_use"] == 1
    cpp = profile(
        "int main() {\n    int t; cin >> t;\n    while (t--) {\n        cin >> n;\n"
        '        cout << n << "\\n";\n    }\n}\n',
        "cpp",
    )
    assert cpp["io_read_count"] == 2
    assert cpp["io_read_in_loop"] == 1
    assert cpp["io_write_in_loop"] == 1


def test_case_handling_guards_sentinels_and_shifted_returns() -> None:
    result = profile(
        """
        def f(a, k):
            if not a:
                return -1
            if len(a) == 1:
                return a[0]
            for i, v in enumerate(a):
                if v < 0:
                    v = abs(v)
                if v == k:
                    return i + 1
            return None
        """
    )
    assert result["case_guard_return_count"] == 3
    assert result["case_empty_check_count"] == 2
    assert result["case_negative_check_count"] == 2
    assert result["case_return_count"] == 4
    assert result["case_sentinel_return_count"] == 2
    assert result["case_shifted_return_count"] == 1
    bare = profile("def f(a):\n    return max(a)\n")
    assert bare["case_guard_return_count"] == bare["case_sentinel_return_count"] == 0
    assert bare["case_return_count"] == 1


def test_literal_dispatch_with_a_catch_all_else() -> None:
    catch_all = profile(
        """
        def run(kind, out):
            if kind == "1":
                out.append(1)
            else:
                out.append(2)
        """
    )
    explicit = profile(
        """
        def run(kind, out):
            if kind == "1":
                out.append(1)
            elif kind == "2":
                out.append(2)
            elif kind == "3":
                out.append(3)
        """
    )
    assert catch_all["case_literal_branch_count"] == 1
    assert catch_all["case_catch_all_else_count"] == 1
    assert explicit["case_literal_branch_count"] == 3
    assert explicit["case_catch_all_else_count"] == 0
    java = "switch (op) {\n    case 1: a++; break;\n    default: b++;\n}\n"
    java_profile = profile(java, "java")
    assert java_profile["case_literal_branch_count"] == 1
    assert java_profile["case_catch_all_else_count"] == 1


def test_type_conversions_concatenation_and_null_handling() -> None:
    result = profile(
        """
        def f(d, k, s):
            v = d.get(k)
            w = d.get(k, 0)
            if v is None:
                return "n=" + str(w)
            return int(s) + float(v)
        """
    )
    assert result["type_conversion_count"] == 3
    assert result["type_string_concat_count"] == 1
    assert result["null_check_count"] == 2  # d.get(k, 0) and is None
    assert result["null_source_count"] == 1  # d.get(k)
    js_code = "const x = arr.find(v => v > 0);\nif (x !== null) total += x?.y ?? 0;\n"
    js = profile(js_code, "javascript")
    assert js["null_source_count"] == 1
    assert js["null_check_count"] == 3
    plain = profile("def f(a):\n    return a\n")
    assert plain["type_conversion_count"] == plain["null_check_count"] == 0


def test_argument_and_shared_state_mutation() -> None:
    mutating = profile(
        """
        seen = set()
        def f(a):
            order = a
            order.sort()
            a[0] = 1
            seen.add(a[0])
            return order
        """
    )
    assert mutating["mut_argument_mutation"] == 2
    assert mutating["mut_shared_state_mutation"] == 1
    pure = profile("def f(a):\n    order = sorted(a)\n    local = []\n    local.append(1)\n")
    assert pure["mut_argument_mutation"] == pure["mut_shared_state_mutation"] == 0
    cpp = profile("void f(vector<int>& v, int k) {\n    v.push_back(k);\n    v[0] = k;\n}\n", "cpp")
    assert cpp["mut_argument_mutation"] == 2


def test_resources_and_snapshots_in_loops() -> None:
    leak = profile(
        """
        def f(a, path):
            log = open(path)
            history = []
            for v in a:
                history.append(list(a))
            return log.read()
        """
    )
    managed = profile("def f(path):\n    with open(path) as fh:\n        return fh.read()\n")
    assert leak["res_open_count"] == 1
    assert leak["res_close_count"] == 0
    assert leak["res_snapshot_in_loop"] == 1
    assert managed["res_open_count"] == managed["res_close_count"] == 1
    assert managed["res_snapshot_in_loop"] == 0
    java = profile(
        "BufferedReader br = new BufferedReader(new FileReader(f));\nbr.close();\n", "java"
    )
    assert java["res_open_count"] == 1
    assert java["res_close_count"] == 1


def test_problem_tag_traces() -> None:
    no_table = (
        "def f(a):\n    best = 0\n    for v in a:\n        best = max(best, v)\n    return best\n"
    )
    table = (
        "def f(a):\n    dp = [0] * (len(a) + 1)\n    for i in range(2, len(a) + 1):\n"
        "        dp[i] = max(dp[i - 1], dp[i - 2] + a[i - 1])\n    return dp[-1]\n"
    )
    missing = profile(no_table, problem_tags=("dp", "hashing"))
    assert missing["tag_trace_missing"] == 2
    assert missing["tag_trace_share"] == 0.0
    present = profile(table, problem_tags=("dp",))
    assert present["tag_trace_missing"] == 0
    assert present["tag_trace_share"] == 1.0
    untagged = profile(no_table)
    assert untagged["tag_trace_missing"] == 0
    assert untagged["tag_trace_share"] == 1.0
    graph = "while (!q.empty()) { int u = q.front(); q.pop(); }\n"
    assert profile(graph, "cpp", problem_tags=["graphs"])["tag_trace_missing"] == 0
    assert profile("int x = 1;\n", "cpp", problem_tags=["graphs"])["tag_trace_missing"] == 1


@pytest.mark.parametrize("language", ["python", "cpp", "java", "javascript", "brainfuck"])
@pytest.mark.parametrize(
    "case",
    [
        "a<b>" * 3000,
        "x" * 50_000,
        "x[" * 10_000,
        "= max(x" * 3000,
        ".append(list(" * 2000,
        "return " * 5000,
        "%" * 20_000,
        "9" * 5000 + " 1e99999",
        "if x == 1:\n    pass\nelse:\n" * 500,
        "def f(" + ",".join(f"a{i}" for i in range(500)) + "):\n    a0.sort()\n",
    ],
)
def test_profile_is_finite_and_bounded_on_junk(case: str, language: str) -> None:
    result = extract_code_signals(
        code=case, language=language, problem_tags=("dp", "graphs", "strings", "two_pointers")
    )
    assert_sane(result)
    values = result.as_features()
    assert all(0.0 <= values[name] <= MAX_PROFILE_COUNT for name in PROFILE_FEATURES)


def test_profile_survives_odd_problem_tags() -> None:
    for tags in (None, 5, [None, 3, "DP"], "dp"):
        assert_sane(signals("x = 1\n", problem_tags=tags))


# Pinned profiles: every PROFILE_FEATURES value of four small programs, so that a rewrite of the
# profile patterns (for speed) cannot move a single count unnoticed. Each value was checked by
# reading the snippet; the comments say where it comes from.
PINNED_PROFILES: dict[str, tuple[str, tuple[str, ...], dict[str, float]]] = {
    "python": (
        """
        MOD = 1000000007

        def solve(nums, k):
            best = -1
            total = 0
            for x in nums:
                total = total * x
                if x <= 0:
                    return 0
                if x < k and x == 3:
                    best = max(best, x)
                nums.append(x)
            return best + 1

        n = int(input())
        print(solve(list(map(int, input().split())), n) % MOD)
        """,
        ("dp", "math"),
        {
            "cmp_strict_count": 1.0,  # x < k
            "cmp_nonstrict_count": 1.0,  # x <= 0
            "cmp_equality_count": 1.0,  # x == 3
            "cmp_mixed_strictness": 1.0,  # x is compared with < and <=
            "state_product_unreduced": 1.0,  # total = total * x, never % in the loop
            "arith_modulo_count": 1.0,
            "arith_large_modulus": 1.0,  # % MOD (an upper-case constant)
            "lit_magic_count": 2.0,  # 1000000007 and 3
            "lit_max_log10": math.log10(1000000007),
            "io_read_count": 2.0,
            "io_write_count": 1.0,
            "case_guard_return_count": 1.0,  # if x <= 0: / return 0
            "case_negative_check_count": 1.0,  # <= 0
            "case_return_count": 2.0,
            "case_sentinel_return_count": 1.0,  # return 0
            "case_shifted_return_count": 1.0,  # return best + 1
            "case_literal_branch_count": 1.0,  # x == 3
            "type_conversion_count": 2.0,  # int(input()), map(int, ...)
            "mut_argument_mutation": 1.0,  # nums.append
            "tag_trace_missing": 1.0,  # dp: no memo, no table; math: %
            "tag_trace_share": 0.5,
        },
    ),
    "cpp": (
        """
        #include <bits/stdc++.h>
        using namespace std;
        int main() {
            int n;
            cin >> n;
            vector<long long> a(n);
            for (int i = 0; i < n; i++) {
                cin >> a[i];
                if (a[i] == 0) continue;
            }
            long long sum = 0;
            for (int i = 0; i <= n - 1; i++) {
                sum += a[i] % 1000;
            }
            if (n == 0) {
                cout << -1 << endl;
                return 0;
            }
            cout << sum / 2.0 << endl;
            return 0;
        }
        """,
        ("prefix_sum", "sorting"),
        {
            "cmp_strict_count": 3.0,  # the include's < and >, i < n
            "cmp_nonstrict_count": 1.0,  # i <= n - 1
            "cmp_equality_count": 2.0,  # a[i] == 0, n == 0
            "cmp_mixed_strictness": 2.0,  # i and n, with < and <=
            "arith_modulo_count": 1.0,
            "arith_large_modulus": 1.0,  # % 1000
            "arith_true_division": 1.0,  # sum / 2.0
            "lit_magic_count": 1.0,  # 1000
            "lit_max_log10": 3.0,
            "io_read_count": 2.0,
            "io_read_in_loop": 1.0,  # cin >> a[i]
            "io_write_count": 2.0,
            "case_return_count": 2.0,
            "case_sentinel_return_count": 2.0,  # return 0, twice
            "case_literal_branch_count": 2.0,  # == 0, twice
            "tag_trace_missing": 1.0,  # prefix_sum: +=; sorting: no sort
            "tag_trace_share": 0.5,
        },
    ),
    "java": (
        """
        import java.util.*;
        public class Main {
            static Map<Integer, Integer> seen = new HashMap<>();
            static int count(int[] arr, int target) {
                int hits = 0;
                for (int v : arr) {
                    if (seen.containsKey(v)) hits++;
                    seen.put(v, seen.getOrDefault(v, 0) + 1);
                    if (v == target) return hits;
                }
                return -1;
            }
            public static void main(String[] args) {
                Scanner sc = new Scanner(System.in);
                int n = sc.nextInt();
                String s = "" + n;
                System.out.println(count(new int[]{1, 2, 3}, Integer.parseInt(s)));
            }
        }
        """,
        ("hashing", "strings"),
        {
            "cmp_equality_count": 1.0,  # v == target
            "lit_magic_count": 1.0,  # 3
            "lit_max_log10": math.log10(3),
            "io_read_count": 1.0,  # sc.nextInt()
            "io_write_count": 1.0,  # System.out.println
            "case_guard_return_count": 1.0,  # if (v == target) return hits;
            "case_return_count": 2.0,
            "case_sentinel_return_count": 1.0,  # return -1
            "type_conversion_count": 1.0,  # Integer.parseInt
            "type_string_concat_count": 1.0,  # "" + n
            "null_check_count": 2.0,  # containsKey, getOrDefault
            "tag_trace_share": 1.0,  # HashMap, String
        },
    ),
    "javascript": (
        """
        const lines = require("fs").readFileSync(0, "utf8").split("\\n");
        const n = Number(lines[0]);
        const parts = lines[1].split(" ");
        let k = parts[0];
        function walk(list, x) {
            const copy = list;
            copy.push(x);
            if (x === null) return;
            for (let i = 0; i < list.length; i++) {
                if (list[i] >= x) {
                    console.log(list[i] / 2);
                }
            }
        }
        walk([], n);
        """,
        ("two_pointers", "graphs"),
        {
            "cmp_strict_count": 1.0,  # i < list.length
            "cmp_nonstrict_count": 1.0,  # list[i] >= x
            "cmp_equality_count": 1.0,  # the === inside the null check
            "arith_true_division": 1.0,  # list[i] / 2
            "io_read_count": 1.0,  # readFileSync
            "io_write_count": 1.0,
            "io_write_in_loop": 1.0,
            "io_raw_token_use": 1.0,  # k = parts[0], never converted
            "case_guard_return_count": 1.0,  # if (x === null) return;
            "case_return_count": 1.0,
            "type_conversion_count": 1.0,  # Number(...)
            "null_check_count": 1.0,  # === null
            "mut_argument_mutation": 1.0,  # copy (an alias of list) .push
            "tag_trace_missing": 2.0,  # no decrement or window; no queue, stack or recursion
        },
    ),
}


@pytest.mark.parametrize("language", sorted(PINNED_PROFILES))
def test_profile_values_of_small_programs_are_pinned(language: str) -> None:
    code, tags, nonzero = PINNED_PROFILES[language]
    expected = {name: nonzero.get(name, 0.0) for name in PROFILE_FEATURES}
    assert profile(code, language, problem_tags=tags) == pytest.approx(expected, abs=1e-12)
