// The model engine's public surface: load a project's files, compile them into a manifest,
// re-render one node at run time, and write target/.

export { loadProjectFiles, type ProjectFiles, type SeedFile, type TextFile } from './project-files.js';
export { compileProject, renderModel, ProjectCompiler, type RenderedNode, type RenderOverrides } from './compiler.js';
export { parseCliVars, type CompileContext, type CompileTarget } from './compile-context.js';
export { relationKey } from './relation.js';
export { writeCompileArtifacts } from './write-artifacts.js';
export type * from './manifest.js';
export { allNodes, getNode } from './manifest.js';
export type { ModelConfig, SeedConfig, TestConfig, SourceConfig, Materialization, IncrementalStrategy } from './node-config.js';
