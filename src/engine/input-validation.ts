/**
 * Checks and normalises a free-text answer (question_input, user_input_flow) so what gets stored is
 * usable later: numbers as numbers, phones as E.164, dates as ISO, emails with a lower-case domain.
 */
import type { InputValidation, ValidationType } from "../core/flow.ts";
import { parseNumber } from "./conditions.ts";
import { compileUserRegex, MAX_TESTED_TEXT } from "./regex.ts";

export type InputValidationResult = { valid: true; value: unknown } | { valid: false; reason: string };

type Check = (text: string, rules: InputValidation | undefined) => InputValidationResult;

/**
 * Validates a trimmed answer against the node's rules (type `text` when none are given).
 * @example validateInput(" 3,5 ", { type: "number" }) // { valid: true, value: 3.5 }
 */
export function validateInput(text: string, rules: InputValidation | undefined): InputValidationResult {
  const trimmed = text.trim();
  const type = rules?.type ?? "text";
  if (type === "any") return { valid: true, value: trimmed };
  if (trimmed === "") return invalid("Please type an answer.");
  const length = [...trimmed].length;
  if (length > MAX_TESTED_TEXT) return invalid("Your answer is too long.");
  if (rules?.minLength !== undefined && length < rules.minLength) {
    return invalid(`Please enter at least ${rules.minLength} characters.`);
  }
  if (rules?.maxLength !== undefined && length > rules.maxLength) {
    return invalid(`Please enter no more than ${rules.maxLength} characters.`);
  }
  return CHECKS[type](trimmed, rules);
}

const CHECKS: Record<Exclude<ValidationType, "any">, Check> = {
  text: checkText,
  number: checkNumber,
  email: checkEmail,
  phone: checkPhone,
  date: checkDate,
  regex: checkRegex,
};

function invalid(reason: string): InputValidationResult {
  return { valid: false, reason };
}

function checkText(text: string, rules: InputValidation | undefined): InputValidationResult {
  if (rules?.pattern === undefined || rules.pattern === "") return { valid: true, value: text };
  return checkRegex(text, rules);
}

/** A missing or broken pattern rejects: validateFlow reports it, and storing unchecked data is worse. */
function checkRegex(text: string, rules: InputValidation | undefined): InputValidationResult {
  const pattern = rules?.pattern ?? "";
  const whole = compileUserRegex(pattern) === undefined ? undefined : compileUserRegex(`^(?:${pattern})$`);
  if (pattern === "" || whole === undefined || !whole.test(text)) {
    return invalid("Please enter an answer in the expected format.");
  }
  return { valid: true, value: text };
}

function checkNumber(text: string, rules: InputValidation | undefined): InputValidationResult {
  const value = parseNumber(text);
  if (value === undefined) return invalid("Please enter a number.");
  if (rules?.min !== undefined && value < rules.min)
    return invalid(`Please enter a number of at least ${rules.min}.`);
  if (rules?.max !== undefined && value > rules.max) {
    return invalid(`Please enter a number no greater than ${rules.max}.`);
  }
  return { valid: true, value };
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

function checkEmail(text: string): InputValidationResult {
  const at = text.lastIndexOf("@");
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (
    at < 1 ||
    text.length > 254 ||
    local.length > 64 ||
    !EMAIL_LOCAL.test(local) ||
    !EMAIL_DOMAIN.test(domain)
  ) {
    return invalid("Please enter a valid email address.");
  }
  return { valid: true, value: `${local}@${domain.toLowerCase()}` };
}

const PHONE_SEPARATORS = /[\s\-.()\u00a0]/g;

function checkPhone(text: string, rules: InputValidation | undefined): InputValidationResult {
  const compact = text.replace(PHONE_SEPARATORS, "");
  let digits: string;
  if (compact.startsWith("+")) digits = compact.slice(1);
  else if (compact.startsWith("00")) digits = compact.slice(2);
  else {
    const countryCode = (rules?.defaultCountryCode ?? "").replace(/^(\+|00)/, "");
    digits = countryCode === "" ? compact : `${countryCode}${compact.replace(/^0/, "")}`;
  }
  if (!/^[1-9]\d{7,14}$/.test(digits)) return invalid("Please enter a valid phone number.");
  return { valid: true, value: `+${digits}` };
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_FIRST_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

function checkDate(text: string): InputValidationResult {
  const iso = ISO_DATE.exec(text);
  const dayFirst = DAY_FIRST_DATE.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : dayFirst
      ? [dayFirst[4], dayFirst[3], dayFirst[1]]
      : [undefined, undefined, undefined];
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (year === undefined || m < 1 || m > 12 || d < 1 || d > getDaysInMonth(y, m)) {
    return invalid("Please enter a valid date, for example 31/12/2024.");
  }
  return { valid: true, value: `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}

function getDaysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
