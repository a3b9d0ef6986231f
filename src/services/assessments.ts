/**
 * The supervision assessments live in src/services/assessments/ (balanced.ts 优质均衡,
 * preschool.ts 普及普惠, workflow.ts, export.ts). This module keeps the names the indicator
 * recompute (services/indicators.ts and its test) reads for 义务教育优质均衡区比例; new code imports
 * from assessments/balanced.ts.
 */
export { balancedResourceElements, balancedSchoolsFromRows, balancedVerdicts, isBalancedElement, loadBalancedSchools, type BalancedValueRow } from './assessments/balanced.ts';
