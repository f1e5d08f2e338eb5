import QRCode from 'qrcode';
import { groupedSecret, otpauthUri } from '../../domain/access/totp.js';

/** What a page that sets two-factor up shows: the QR code, and the key for typing in by hand. */
export interface TwoFactorSetUpView {
  /** A PNG as a data: URI (the Content Security Policy allows data: images; no script). */
  qrCode: string;
  /** The secret in base32, in groups of four. */
  key: string;
}

export async function twoFactorSetUpView(
  secret: Uint8Array,
  email: string,
  councilName: string,
): Promise<TwoFactorSetUpView> {
  const uri = otpauthUri(secret, email, `Oversight (${councilName})`);
  const qrCode = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 });
  return { qrCode, key: groupedSecret(secret) };
}

/** The code field's problems, in the GOV.UK style. */
export function codeProblem(typed: unknown): string | null {
  const code = typeof typed === 'string' ? typed.replace(/[\s-]/g, '') : '';
  if (code === '') return 'Enter the 6-digit code from your authenticator app';
  if (!/^\d{6}$/.test(code)) return 'The code must be 6 digits, like 123456';
  return null;
}

export const WRONG_CODE =
  'The code is not right, or has been used already: enter the code your app shows now';
