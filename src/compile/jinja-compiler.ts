// Nunjucks' code generator, adjusted where Jinja means something else: a name that is not
// defined is an error (except where Jinja asks about it: `is defined`, `| default`, a call),
// `%`, `+`, `-` and `~` follow Python, and a macro restores its caller's frame even when
// `return()` leaves it early.

import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';

interface AstNode {
  readonly typename: string;
  readonly value?: unknown;
  readonly lineno: number;
  readonly colno: number;
  readonly left?: AstNode;
  readonly right?: AstNode & { name?: AstNode; args?: AstNode };
  readonly name?: AstNode;
  readonly args?: AstNode & { children: AstNode[] };
}

interface CompilerFrame {
  lookup(name: string): string | undefined;
}

interface CompilerBase {
  _emit(code: string): void;
  _emitLine(code: string): void;
  _emitLines(...lines: string[]): void;
  compile(node: AstNode, frame: CompilerFrame): void;
  _binOpEmitter(node: AstNode, frame: CompilerFrame, op: string): void;
  compileSymbol(node: AstNode, frame: CompilerFrame): void;
  compileIs(node: AstNode, frame: CompilerFrame): void;
  compileFunCall(node: AstNode, frame: CompilerFrame): void;
  compileFilter(node: AstNode, frame: CompilerFrame): void;
  getCode(): string;
}

type CompilerClass = new (name: string, throwOnUndefined: boolean) => CompilerBase;

interface NunjucksInternals {
  compiler: { Compiler: CompilerClass };
  parser: { parse(src: string, extensions: unknown, opts: unknown): AstNode };
}

interface Transformer {
  transform(ast: AstNode, asyncFilters: unknown, name: string): AstNode;
}

const internals = nunjucks as unknown as NunjucksInternals;
// Not re-exported by the package's index; the same module its own compile() uses.
const transformer = createRequire(import.meta.url)('nunjucks/src/transformer.js') as Transformer;
const Base = internals.compiler.Compiler;
const MACRO_PROLOGUE = 'var callerFrame = frame;';
const MACRO_EPILOGUE = /^return new runtime\.SafeString\(t_\d+\);$/;

class JinjaCompiler extends Base {
  /** Symbols that may name nothing without an error: the operand of `is`, `| default`, a callee. */
  private readonly lenient = new Set<AstNode>();

  override compileSymbol(node: AstNode, frame: CompilerFrame): void {
    const name = String(node.value);
    if (frame.lookup(name) || this.lenient.has(node)) {
      super.compileSymbol(node, frame);
      return;
    }
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, runtime.strictLookup(context, frame, ${JSON.stringify(name)}))`);
  }

  override compileIs(node: AstNode, frame: CompilerFrame): void {
    if (node.left?.typename === 'Symbol') this.lenient.add(node.left);
    super.compileIs(node, frame);
  }

  override compileFunCall(node: AstNode, frame: CompilerFrame): void {
    // An unknown callee keeps Nunjucks' "Unable to call" error, which the compiler words with the known macros.
    if (node.name?.typename === 'Symbol') this.lenient.add(node.name);
    super.compileFunCall(node, frame);
  }

  override compileFilter(node: AstNode, frame: CompilerFrame): void {
    const name = String(node.name?.value);
    const first = node.args?.children[0];
    if ((name === 'default' || name === 'd') && first?.typename === 'Symbol') this.lenient.add(first);
    super.compileFilter(node, frame);
  }

  /** `(1, 2)` is a tuple in Jinja, a list here; JavaScript would read it as the comma operator. */
  compileGroup(node: AstNode, frame: CompilerFrame): void {
    const children = (node as unknown as { children: AstNode[] }).children;
    if (children.length <= 1) {
      this._emit('(');
      if (children[0]) this.compile(children[0], frame);
      this._emit(')');
      return;
    }
    this._emit('[');
    children.forEach((child, i) => {
      if (i > 0) this._emit(', ');
      this.compile(child, frame);
    });
    this._emit(']');
  }

  compileMod(node: AstNode, frame: CompilerFrame): void {
    this.binaryCall('pyMod', node, frame);
  }

  compileAdd(node: AstNode, frame: CompilerFrame): void {
    this.binaryCall('pyAdd', node, frame);
  }

  compileSub(node: AstNode, frame: CompilerFrame): void {
    this.binaryCall('pySub', node, frame);
  }

  compileConcat(node: AstNode, frame: CompilerFrame): void {
    this.binaryCall('pyConcat', node, frame);
  }

  // A macro's body runs in try/finally so that `return()` (an exception) still gives the frame back.
  override _emitLines(...lines: string[]): void {
    super._emitLines(...lines.flatMap((line) => (line === MACRO_PROLOGUE ? [line, 'try {'] : [line])));
  }

  override _emitLine(code: string): void {
    super._emitLine(MACRO_EPILOGUE.test(code) ? `${code}\n} finally { frame = callerFrame; }` : code);
  }

  private binaryCall(fn: string, node: AstNode, frame: CompilerFrame): void {
    this._emit(`runtime.${fn}(`);
    this.compile(node.left!, frame);
    this._emit(', ');
    this.compile(node.right!, frame);
    this._emit(')');
  }
}

interface Preprocessing {
  preprocess?: (src: string) => string;
}

/** The JavaScript source of a template's root and blocks, as nunjucks.compiler.compile makes it. */
export function compileJinjaSource(text: string, file: string, extensions: readonly Preprocessing[], asyncFilters: unknown, opts: unknown): string {
  const source = extensions.reduce((src, ext) => (ext.preprocess ? ext.preprocess(src) : src), text);
  const compiler = new JinjaCompiler(file, false);
  compiler.compile(transformer.transform(internals.parser.parse(source, extensions, opts), asyncFilters, file), undefined as never);
  return compiler.getCode();
}
