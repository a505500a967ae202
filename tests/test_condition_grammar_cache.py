"""lark's cache of the condition grammar lives in the user's own cache folder, and the parser
works the same with it, from it, and where no cache can be written."""
import os
import subprocess
import sys

PROBE = ("from cpmodel.model.conditions import parse, _grammar_cache; "
         "print(_grammar_cache()); print(parse('a and not b or c in {1, 2}'))")
EXPECTED = "Or(operands=(And(operands=(Fact(name='a'), Not(operand=Fact(name='b')))), Member(name='c', values=(1, 2))))"


def run(environment: dict) -> list[str]:
    finished = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120,
                              env=os.environ | environment, check=True)
    return finished.stdout.splitlines()


def test_the_cache_is_written_in_the_users_cache_folder_and_read_back(tmp_path):
    first = run({"XDG_CACHE_HOME": str(tmp_path)})
    cache = tmp_path / "cpmodel" / "condition-grammar.lark"
    assert first == [str(cache), EXPECTED]
    assert cache.stat().st_size > 0
    assert oct((tmp_path / "cpmodel").stat().st_mode & 0o777) == oct(0o700)
    written = cache.stat().st_mtime_ns
    assert run({"XDG_CACHE_HOME": str(tmp_path)}) == first
    assert cache.stat().st_mtime_ns == written        # loaded, not built and written again


def test_a_broken_cache_is_built_again(tmp_path):
    (tmp_path / "cpmodel").mkdir()
    (tmp_path / "cpmodel" / "condition-grammar.lark").write_bytes(b"not a pickle")
    assert run({"XDG_CACHE_HOME": str(tmp_path)})[1] == EXPECTED


def test_where_no_cache_can_be_made_the_parser_is_built(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    assert run({"XDG_CACHE_HOME": str(blocked)}) == ["False", EXPECTED]
