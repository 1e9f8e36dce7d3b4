// Which after-run steps a run of this project registers: grants always (the step skips
// itself when nothing declares any), the report when the project has one.

import type { Project } from '../config/project.js';
import type { Target } from '../config/target.js';
import type { AfterRunStep } from '../run/after-run-step.js';
import { grantsStep } from './steps/grants-step.js';
import { reportStep } from './steps/report-step.js';

export function afterRunSteps(project: Project, target: Target): AfterRunStep[] {
  return [grantsStep(project, target), reportStep()];
}
