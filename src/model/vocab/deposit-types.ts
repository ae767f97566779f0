// PLACEHOLDER until the vocabulary lands (helper B replaces this file).
export type DepositTypeCode = string;
