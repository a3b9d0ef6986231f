/** Type parsers shared by both backends so that results look the same on PGlite and PostgreSQL. */
const passthroughDate = (v: string): string => v;
const toNumber = (v: string): number => Number(v);
export const typeParsers: Record<number, (v: string) => unknown> = {
  20: toNumber, // int8 (COUNT(*), SUM(int)): counts here stay far below 2^53
  1700: toNumber, // numeric
  1082: passthroughDate, // date stays 'YYYY-MM-DD'
};
