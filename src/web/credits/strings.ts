/** Strings of the credit-bank pages (学分银行; zh-CN first, English second), typed like ../i18n.ts. */
import type { Lang } from '../i18n.ts';

const strings = {
  navCredits: { zh: '学分银行', en: 'Credit bank' },
  navVerify: { zh: '凭证验证', en: 'Verify a credential' },
  wsLink: { zh: '学分银行：学习成果登记与学分认定', en: 'Credit bank: outcomes and recognitions' },
  wsTitle: { zh: '学分银行工作台', en: 'Credit bank workspace' },
  wsIntro: {
    zh: '机构经办人为学习者登记学习成果（签发凭证）、提出学分认定申请、为学习者生成一次性查询码；接收机构审核认定申请。只显示本人权限范围内的机构。',
    en: 'Institution officers register learners’ outcomes (a credential is issued), apply for recognitions and hand learners a one-time code; the receiving institution reviews the applications. Only the institutions in your scope are shown.',
  },
  notForRole: { zh: '此页面供学分银行经办人、区审核员与市级用户使用。', en: 'This page is for credit-bank officers, district reviewers and city users.' },
  noInstitution: { zh: '您的权限范围内没有已登记的学分银行机构。', en: 'No credit-bank institution is registered in your scope.' },
  institution: { zh: '机构', en: 'Institution' },
  registerTitle: { zh: '登记学习成果', en: 'Register a learning outcome' },
  registerIntro: {
    zh: '身份证号只输入一次，按 GB 11643 校验后转为假名；身份证号与姓名均不保存，也不会再显示。',
    en: 'The ID number is typed once and checked (GB 11643), then turned into a pseudonym; neither it nor the name is stored or shown again.',
  },
  idNumber: { zh: '学习者身份证号', en: 'Learner’s ID number' },
  learnerName: { zh: '学习者姓名（核对用，不保存）', en: 'Learner’s name (for checking; not stored)' },
  achievementName: { zh: '学习成果名称', en: 'Outcome name' },
  achievementCode: { zh: '成果代码（可选，与转换规则对应）', en: 'Outcome code (optional; matches conversion rules)' },
  description: { zh: '说明', en: 'Description' },
  kind: { zh: '来源类型', en: 'Source kind' },
  credits: { zh: '学分', en: 'Credits' },
  level: { zh: '资历框架等级（1–7）', en: 'Framework level (1–7)' },
  hours: { zh: '学时', en: 'Hours' },
  issuedOn: { zh: '取得日期', en: 'Achieved on' },
  consent: { zh: '学习者已同意学分银行保存其学习记录', en: 'The learner agreed to the credit bank keeping their record' },
  register: { zh: '登记并签发凭证', en: 'Register and issue the credential' },
  registered: { zh: '已登记，凭证编号：{id}', en: 'Registered; credential id: {id}' },
  codeTitle: { zh: '为学习者生成一次性查询码', en: 'Hand a learner a one-time code' },
  codeIntro: {
    zh: '学习者持身份证到本机构当面核验后，生成查询码交给本人；72小时内有效，只能使用一次，在“我的学习档案”页面使用。',
    en: 'After checking the learner’s identity card in person, give them the code; valid 72 hours, once, on the “My learning record” page.',
  },
  makeCode: { zh: '生成查询码', en: 'Make a code' },
  codeIs: { zh: '查询码（{expires} 前有效）：', en: 'Code (valid until {expires}): ' },
  outcomesTitle: { zh: '本机构登记的学习成果', en: 'Outcomes registered here' },
  none: { zh: '暂无', en: 'None yet' },
  outcome: { zh: '学习成果', en: 'Outcome' },
  date: { zh: '日期', en: 'Date' },
  credential: { zh: '凭证', en: 'Credential' },
  revoked: { zh: '已撤销', en: 'revoked' },
  apply: { zh: '申请认定', en: 'Apply' },
  rule: { zh: '转换规则', en: 'Conversion rule' },
  appliedOn: { zh: '申请日期', en: 'Applied on' },
  noRule: { zh: '无适用的转换规则', en: 'no conversion rule applies' },
  applied: { zh: '已提交认定申请 #{id}', en: 'Application #{id} filed' },
  queueTitle: { zh: '学分认定申请', en: 'Recognition applications' },
  queueIntro: {
    zh: '接收机构审核：认定后签发认定凭证；拒绝须写明理由。超过转换规则年度或累计上限的申请无法认定，系统给出理由，可据此拒绝。',
    en: 'The receiving institution decides: recognising issues a credential; a refusal needs a reason. An application over a rule’s annual or total cap cannot be recognised: the reason is shown and can be used to refuse it.',
  },
  filterState: { zh: '状态', en: 'State' },
  all: { zh: '全部', en: 'All' },
  receiving: { zh: '接收机构', en: 'Receiving institution' },
  target: { zh: '认定为', en: 'Counts towards' },
  state: { zh: '状态', en: 'State' },
  reason: { zh: '理由', en: 'Reason' },
  recognise: { zh: '认定', en: 'Recognise' },
  refuse: { zh: '拒绝', en: 'Refuse' },
  refuseReason: { zh: '拒绝理由（必填）', en: 'Reason for refusing (required)' },
  capRefused: { zh: '无法认定：', en: 'Cannot be recognised: ' },
  useAsReason: { zh: '已填入拒绝理由，可确认拒绝。', en: 'Filled in as the reason: confirm the refusal.' },
  stateApplied: { zh: '待审核', en: 'Waiting' },
  stateRecognised: { zh: '已认定', en: 'Recognised' },
  stateRefused: { zh: '已拒绝', en: 'Refused' },
  kindAcademic: { zh: '学历教育课程', en: 'Academic course' },
  kindVocational: { zh: '职业技能等级证书', en: 'Vocational certificate' },
  kindNonFormal: { zh: '非学历培训课程', en: 'Non-formal course' },
  kindMooc: { zh: '在线开放课程（MOOC）', en: 'MOOC' },
  working: { zh: '处理中…', en: 'Working…' },
  idInvalid: { zh: '身份证号不符合 GB 11643：', en: 'The ID number breaks GB 11643: ' },
  // the learner's own page
  learnerTitle: { zh: '我的学习档案', en: 'My learning record' },
  learnerIntro: {
    zh: '输入学分银行机构当面交给您的一次性查询码，查看本人的学习成果、学分认定与凭证，并下载凭证与 CLR 成绩单。查询码只能使用一次；离开本页后需重新领取。',
    en: 'Enter the one-time code a credit-bank institution gave you in person to see your outcomes, recognitions and credentials, and download them and your CLR transcript. The code works once; after leaving this page you need a new one.',
  },
  code: { zh: '查询码', en: 'Code' },
  open: { zh: '查看', en: 'Open' },
  consentAt: { zh: '同意保存学习记录的时间', en: 'Consent to keep the record given' },
  noConsent: { zh: '未记录同意', en: 'no consent recorded' },
  accumulated: { zh: '累计学分', en: 'Credits accumulated' },
  recognisedCredits: { zh: '已认定学分', en: 'Credits recognised' },
  yourOutcomes: { zh: '学习成果', en: 'Outcomes' },
  yourRecognitions: { zh: '学分认定', en: 'Recognitions' },
  yourCredentials: { zh: '凭证', en: 'Credentials' },
  download: { zh: '下载凭证（JWS）', en: 'Download (JWS)' },
  downloadClr: { zh: '下载 CLR 2.0 成绩单（JWS）', en: 'Download the CLR 2.0 transcript (JWS)' },
  verifyHere: { zh: '可在凭证验证页核验任一凭证。', en: 'Any credential can be checked on the verification page.' },
  issuedAt: { zh: '签发时间', en: 'Issued' },
  valid: { zh: '有效', en: 'valid' },
  // public statistics
  statsTitle: { zh: '终身教育学分银行', en: 'The lifelong-learning credit bank' },
  statsIntro: {
    zh: '学分银行为市民提供学习成果的累积与转换（《规划》三、（七））。下表为已发布的学分累积与转换统计：按年度、来源类型和机构所在区；学习者少于10人的格不公布数字。',
    en: 'The credit bank accumulates and converts citizens’ learning outcomes (the plan’s 三、(七)). Below, the released statistics of credits accumulated and converted, by year, source kind and the institution’s district; cells with fewer than 10 learners carry no numbers.',
  },
  statsNone: { zh: '尚未发布学分银行统计。', en: 'No credit-bank statistics have been released yet.' },
  year: { zh: '年度', en: 'Year' },
  district: { zh: '区', en: 'District' },
  learners: { zh: '学习者人数', en: 'Learners' },
  creditsAccumulated: { zh: '累积学分', en: 'Credits accumulated' },
  creditsConverted: { zh: '转换（认定）学分', en: 'Credits converted (recognised)' },
  suppressed: { zh: '不足10人，不公布', en: 'fewer than 10, withheld' },
  releasedAt: { zh: '发布于 {date}（{year}学年发布第{version}版）', en: 'released {date} (release of {year}, version {version})' },
  servicesTitle: { zh: '学习者与验证', en: 'Learners and verification' },
  toVerify: { zh: '验证学分银行凭证', en: 'Verify a credit-bank credential' },
  toLearner: { zh: '查看我的学习档案（凭一次性查询码）', en: 'See my learning record (with a one-time code)' },
  cityLevel: { zh: '市级机构', en: 'City-level institutions' },
} as const;

export type CreditKey = keyof typeof strings;

export function cr(lang: Lang, key: CreditKey, vars: Record<string, string | number> = {}): string {
  let out: string = strings[key][lang];
  for (const [k, v] of Object.entries(vars)) out = out.replaceAll(`{${k}}`, String(v));
  return out;
}

const kindKeys = { academic_course: 'kindAcademic', vocational_certificate: 'kindVocational', non_formal: 'kindNonFormal', mooc: 'kindMooc' } as const;
export const kindName = (lang: Lang, kind: keyof typeof kindKeys): string => cr(lang, kindKeys[kind]);

const stateKeys = { applied: 'stateApplied', recognised: 'stateRecognised', refused: 'stateRefused' } as const;
export const stateName = (lang: Lang, state: keyof typeof stateKeys): string => cr(lang, stateKeys[state]);
