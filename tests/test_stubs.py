"""
The type stubs (src/OpenSSL/*.pyi) against the modules, without a type
checker: the stub files are parsed with `ast` and compared with what the
modules expose, so that neither can change without the other.

For OpenSSL.SSL, OpenSSL.crypto and OpenSSL.rand:
  * every public name of the module is in its stub, and every public name
    the stub defines exists in the module;
  * __all__ is the same;
  * for every class, public class members match both ways (attributes the
    stub only annotates may be instance attributes instead);
  * for every public function and method whose text signature Python can
    read, the parameters have the same names, kinds and defaults.

mypy's stubtest does a deeper comparison (doc/internals.rst says how to
run it); this test keeps the basics in the normal test run.
"""

import ast
import inspect
import os
import subprocess
import sys
from types import ModuleType
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

import OpenSSL
from OpenSSL import SSL, crypto, rand

MODULES = [SSL, crypto, rand]
HERE = os.path.dirname(os.path.abspath(__file__))

# Runtime signatures Python cannot parse (their docstring's text signature
# has a default that is a name, not a literal). Only their parameter check
# is skipped.
UNPARSABLE_SIGNATURES = {
    "OpenSSL.SSL.Context.use_certificate_file",
    "OpenSSL.SSL.Context.use_privatekey_file",
}

# How to make an instance, for classes whose stub annotates instance
# attributes that the class itself does not have.
INSTANCE_FACTORIES: Dict[str, Callable[[], Any]] = {
    "OpenSSL.crypto.X509StoreContextError": lambda: (
        crypto.X509StoreContextError("message", [], crypto.X509())
    ),
}


def is_public(name: str) -> bool:
    return not name.startswith("_")


def stub_path(module: ModuleType) -> str:
    base = os.path.dirname(os.path.abspath(OpenSSL.__file__))
    return os.path.join(base, module.__name__.rsplit(".", 1)[1] + ".pyi")


def parse_stub(module: ModuleType) -> ast.Module:
    with open(stub_path(module), encoding="utf-8") as f:
        return ast.parse(f.read(), stub_path(module))


# ---------------------------------------------------------------------------
# Reading the stub


def static_condition(test: ast.expr) -> Optional[bool]:
    """The value of `sys.platform == "..."` / `sys.platform != "..."` and
    `sys.version_info >= (x, y)` (and the other comparisons) on this
    interpreter; None for anything else."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.left, ast.Attribute)
        and isinstance(test.left.value, ast.Name)
        and test.left.value.id == "sys"
    ):
        return None
    try:
        right = ast.literal_eval(test.comparators[0])
    except ValueError:
        return None
    left = getattr(sys, test.left.attr)
    if test.left.attr == "version_info":
        left = tuple(left)[: len(right)]
    op = type(test.ops[0])
    ops = {
        ast.Eq: lambda a, b: a == b,
        ast.NotEq: lambda a, b: a != b,
        ast.Lt: lambda a, b: a < b,
        ast.LtE: lambda a, b: a <= b,
        ast.Gt: lambda a, b: a > b,
        ast.GtE: lambda a, b: a >= b,
    }
    return ops[op](left, right) if op in ops else None


def statements(body: List[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module or class body, with `if sys...:` blocks
    resolved for this interpreter (both branches of any other `if`)."""
    for node in body:
        if isinstance(node, ast.If):
            value = static_condition(node.test)
            if value is None:
                yield from statements(node.body)
                yield from statements(node.orelse)
            else:
                yield from statements(node.body if value else node.orelse)
        else:
            yield node


def defined_names(body: List[ast.stmt]) -> Dict[str, ast.stmt]:
    """Names a stub body defines, mapped to their (first) definition.
    Imports count only in the re-export form `import x as x` /
    `from m import x as x`."""
    names: Dict[str, ast.stmt] = {}

    def add(name: str, node: ast.stmt) -> None:
        names.setdefault(name, node)

    for node in statements(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            add(node.name, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(
            node.target, ast.Name
        ):
            add(node.target.id, node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    add(target.id, node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.asname is not None and alias.asname == alias.name:
                    add(alias.asname, node)
    return names


def stub_all(tree: ast.Module) -> Optional[List[str]]:
    for node in statements(tree.body):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "__all__"
        ):
            return list(ast.literal_eval(node.value))
    return None


def stub_classes(tree: ast.Module) -> List[ast.ClassDef]:
    return [n for n in statements(tree.body) if isinstance(n, ast.ClassDef)]


def stub_functions(body: List[ast.stmt]) -> Dict[str, List[ast.FunctionDef]]:
    """Functions by name; an @overload-ed one has several definitions."""
    found: Dict[str, List[ast.FunctionDef]] = {}
    for node in statements(body):
        if isinstance(node, ast.FunctionDef):
            found.setdefault(node.name, []).append(node)
    return found


def has_decorator(node: ast.FunctionDef, name: str) -> bool:
    for dec in node.decorator_list:
        if isinstance(dec, ast.Name) and dec.id == name:
            return True
        if isinstance(dec, ast.Attribute) and dec.attr == name:
            return True
    return False


# ---------------------------------------------------------------------------
# Module-level names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_stub_file_is_shipped(module):
    assert os.path.isfile(stub_path(module))
    base = os.path.dirname(os.path.abspath(OpenSSL.__file__))
    assert os.path.isfile(os.path.join(base, "py.typed"))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_name_of_the_module_is_in_the_stub(module):
    stub = defined_names(parse_stub(module).body)
    missing = sorted(
        n for n in dir(module) if is_public(n) and n not in stub
    )
    assert missing == [], "add these to %s" % stub_path(module)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_name_of_the_stub_is_in_the_module(module):
    stub = defined_names(parse_stub(module).body)
    extra = sorted(
        n for n in stub if is_public(n) and not hasattr(module, n)
    )
    assert extra == [], "%s has names the module lacks" % stub_path(module)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_all_matches(module):
    declared = stub_all(parse_stub(module))
    runtime = getattr(module, "__all__", None)
    if runtime is None:
        assert declared is None
    else:
        assert declared is not None, "the stub has no __all__"
        assert sorted(declared) == sorted(runtime)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_stub_private_names_that_exist_are_real(module):
    """A private name the stub gives a value or a class (not a type alias
    or TypeVar used only by checkers) must exist at run time too: the stub
    declares it because programs use it."""
    tree = parse_stub(module)
    for name, node in defined_names(tree.body).items():
        if is_public(name) or name.startswith("__"):
            continue
        if isinstance(node, ast.FunctionDef):
            assert hasattr(module, name), name
        elif isinstance(node, ast.AnnAssign) and not _is_type_alias(node):
            assert hasattr(module, name), name


def _is_type_alias(node: ast.AnnAssign) -> bool:
    return "TypeAlias" in ast.unparse(node.annotation)


# ---------------------------------------------------------------------------
# Classes


def class_cases() -> List[Tuple[ModuleType, ast.ClassDef]]:
    cases = []
    for module in MODULES:
        for node in stub_classes(parse_stub(module)):
            if hasattr(module, node.name):
                cases.append((module, node))
    return cases


def class_id(case: Tuple[ModuleType, ast.ClassDef]) -> str:
    return "%s.%s" % (case[0].__name__, case[1].name)


@pytest.mark.parametrize("case", class_cases(), ids=class_id)
def test_class_members_match(case):
    module, node = case
    cls = getattr(module, node.name)
    assert inspect.isclass(cls)
    qualname = "%s.%s" % (module.__name__, node.name)
    runtime = {n for n in vars(cls) if is_public(n)}
    stub_members = defined_names(node.body)
    stub = {n for n in stub_members if is_public(n)}

    missing = sorted(runtime - stub)
    assert missing == [], "add these to the stub of %s" % qualname

    extra = []
    instance = None
    for name in sorted(stub - runtime):
        member = stub_members[name]
        if hasattr(cls, name):          # inherited from a base
            continue
        if isinstance(member, ast.AnnAssign) and member.value is None:
            # May be an instance attribute.
            if instance is None:
                factory = INSTANCE_FACTORIES.get(qualname, cls)
                instance = factory()
            if hasattr(instance, name):
                continue
        extra.append(name)
    assert extra == [], "%s has no such members" % qualname


# ---------------------------------------------------------------------------
# Signatures

_KINDS = {
    "posonly": inspect.Parameter.POSITIONAL_ONLY,
    "normal": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "varargs": inspect.Parameter.VAR_POSITIONAL,
    "kwonly": inspect.Parameter.KEYWORD_ONLY,
    "varkw": inspect.Parameter.VAR_KEYWORD,
}

_NO_DEFAULT = object()
_SOME_DEFAULT = object()     # `= ...` in the stub: any default


def stub_parameters(func: ast.FunctionDef) -> List[Tuple[str, Any, Any]]:
    """(name, kind, default) for each parameter of a stub function."""
    args = func.args
    params: List[Tuple[str, Any, Any]] = []
    positional = [(a, "posonly") for a in args.posonlyargs] + [
        (a, "normal") for a in args.args
    ]
    defaults: List[Any] = [_NO_DEFAULT] * (
        len(positional) - len(args.defaults)
    ) + list(args.defaults)
    for (arg, kind), default in zip(positional, defaults):
        params.append((arg.arg, _KINDS[kind], _stub_default(default)))
    if args.vararg is not None:
        params.append((args.vararg.arg, _KINDS["varargs"], _NO_DEFAULT))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append((arg.arg, _KINDS["kwonly"], _stub_default(default)))
    if args.kwarg is not None:
        params.append((args.kwarg.arg, _KINDS["varkw"], _NO_DEFAULT))
    return params


def _stub_default(node: Any) -> Any:
    if node is _NO_DEFAULT or node is None:
        return _NO_DEFAULT
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return _SOME_DEFAULT
    try:
        return ast.literal_eval(node)
    except ValueError:
        return _SOME_DEFAULT


def runtime_parameters(sig: inspect.Signature) -> List[Tuple[str, Any, Any]]:
    return [
        (
            p.name,
            p.kind,
            _NO_DEFAULT if p.default is inspect.Parameter.empty else p.default,
        )
        for p in sig.parameters.values()
    ]


def compare_parameters(
    stub: List[Tuple[str, Any, Any]], runtime: List[Tuple[str, Any, Any]]
) -> List[str]:
    problems = []
    if [(n, k) for n, k, _ in stub] != [(n, k) for n, k, _ in runtime]:
        problems.append(
            "parameters differ: stub %s, runtime %s"
            % (
                [(n, k.name) for n, k, _ in stub],
                [(n, k.name) for n, k, _ in runtime],
            )
        )
        return problems
    for (name, _, sd), (_, _, rd) in zip(stub, runtime):
        if (sd is _NO_DEFAULT) != (rd is _NO_DEFAULT):
            problems.append("default of %s: stub %r, runtime %r"
                            % (name, sd, rd))
        elif sd not in (_NO_DEFAULT, _SOME_DEFAULT) and sd != rd:
            problems.append("default of %s: stub %r, runtime %r"
                            % (name, sd, rd))
    return problems


def signature_cases() -> List[Tuple[str, Any, ast.FunctionDef, bool]]:
    """(qualified name, runtime callable, stub definition, whether the stub's
    first parameter is self/cls, which the runtime signature lacks)."""
    cases = []
    for module in MODULES:
        tree = parse_stub(module)
        for name, defs in stub_functions(tree.body).items():
            if is_public(name) and hasattr(module, name):
                cases.append(("%s.%s" % (module.__name__, name),
                              getattr(module, name), defs[-1], False))
        for node in stub_classes(tree):
            if not hasattr(module, node.name):
                continue
            cls = getattr(module, node.name)
            for name, defs in stub_functions(node.body).items():
                func = defs[-1]
                qualname = "%s.%s.%s" % (module.__name__, node.name, name)
                if has_decorator(func, "property"):
                    continue
                if name in ("__init__", "__new__"):
                    # The class's own text signature, or its Python-level
                    # __init__ bound to nothing (an exception class).
                    runtime = cls
                    if "__init__" in vars(cls) and not _has_signature(cls):
                        runtime = getattr(cls.__init__, "__func__",
                                          cls.__init__)
                elif is_public(name) and name in vars(cls):
                    runtime = getattr(cls, name)
                else:
                    continue
                drop_self = not has_decorator(func, "staticmethod")
                cases.append((qualname, runtime, func, drop_self))
    return cases


def _has_signature(obj: Any) -> bool:
    try:
        inspect.signature(obj)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "case", signature_cases(), ids=lambda case: case[0]
)
def test_signature_matches(case):
    qualname, obj, func, drop_self = case
    try:
        sig = inspect.signature(obj)
    except ValueError:
        assert qualname in UNPARSABLE_SIGNATURES, (
            "inspect.signature() cannot read %s" % qualname
        )
        return
    runtime = runtime_parameters(sig)
    stub = stub_parameters(func)
    if drop_self and stub:
        stub = stub[1:]
    # Methods of C types, taken from the class, report self (positional
    # only); classes, classmethods and functions do not.
    if runtime and runtime[0][0] == "self":
        runtime = runtime[1:]
    assert compare_parameters(stub, runtime) == [], qualname


def test_stubs_example_runs():
    """The program the stubs are checked on with mypy also runs."""
    result = subprocess.run(
        [sys.executable, os.path.join(HERE, "stubs_example.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")
