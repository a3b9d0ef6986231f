/** Reading the learning-city framework file bundled with the plan (core/learning/framework.ts). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EduplanError } from '../core/errors.ts';
import { checkLearningFramework, type LearningFramework } from '../core/learning/framework.ts';
import { bundledPlanDir } from './plan.ts';

export const LEARNING_FRAMEWORK_FILE = 'learning-city.yaml';

let cached: Promise<LearningFramework> | null = null;

/** The framework in `dir` (default: the bundled plan's), checked; E_PLAN_INVALID with located problems otherwise. */
export async function readLearningFramework(dir?: string): Promise<LearningFramework> {
  const read = async (d: string): Promise<LearningFramework> => {
    const { framework, problems } = checkLearningFramework(parse(await readFile(join(d, LEARNING_FRAMEWORK_FILE), 'utf8')) as unknown, LEARNING_FRAMEWORK_FILE);
    if (!framework) throw new EduplanError('E_PLAN_INVALID', { problems });
    return framework;
  };
  if (dir !== undefined) return read(dir);
  cached ??= read(bundledPlanDir()).catch((e: unknown) => { cached = null; throw e; });
  return cached;
}
