// The model engine's public surface: compile a project's files (already in memory) into a
// compiled project: the manifest plus a way to re-render one node at run time.

export { compileProject, ProjectCompiler, type CompiledProject, type RenderedNode, type RenderOverrides } from './compiler.js';
export { parseCliVars, type CompileContext, type CompileTarget } from './compile-context.js';
export type { ProjectFiles, SeedFile, TextFile } from './project-files.js';
export { compileInputsDigest, environmentDigest, recordingEnvironment, type CompileInputsContext } from './compile-inputs.js';
