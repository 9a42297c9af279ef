import { css } from 'lit';

/**
 * System fonts only and no url(): the element requests nothing but the shop endpoint and its
 * own chunks. Internal `--_x` variables resolve each public `--pay-scan-*` property once.
 * The card's class is the status (`ready`, `paying`, `paid` …) and the scan's wallet.
 */
export const styles = css`
  :host {
    --_text: var(--pay-scan-color-text, #1d2129);
    --_muted: var(--pay-scan-color-muted, #646a73);
    --_bg: var(--pay-scan-color-background, #fff);
    --_line: var(--pay-scan-color-border, #c9cdd4);
    --_accent: var(--pay-scan-color-accent, #1677ff);
    --_ok: var(--pay-scan-color-success, #07c160);
    --_bad: var(--pay-scan-color-danger, #e5484d);
    --_warn: var(--pay-scan-color-warning, #b45309);
    --_r: var(--pay-scan-radius, 12px);
    display: block;
    max-width: var(--pay-scan-max-width, 420px);
    color: var(--_text);
    font: 15px/1.5 var(--pay-scan-font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  p {
    margin: 0;
  }

  .card {
    padding: 24px;
    border: 1px solid var(--_line);
    border-radius: var(--_r);
    background: var(--_bg);
    box-shadow: 0 8px 24px #0000000f;
    text-align: center;
  }
  .label {
    color: var(--_muted);
    min-height: 1.5em;
  }
  .amount {
    min-height: 1.3em;
    font-size: var(--pay-scan-amount-size, 40px);
    font-weight: 700;
    line-height: 1.3;
    font-variant-numeric: tabular-nums;
  }

  /* The mark: --_m is its colour, --_c its symbol; a spinner while working. */
  .result {
    display: grid;
    place-items: center;
    width: 64px;
    height: 64px;
    margin: 16px auto 0;
    border-radius: 50%;
    background: var(--_m, none);
    color: #fff;
    font: 700 32px/1 system-ui, sans-serif;
  }
  .result::before {
    content: var(--_c, '');
  }
  .paid {
    --_m: var(--_ok);
    --_c: '✓';
  }
  .failed,
  .error {
    --_m: var(--_bad);
    --_c: '!';
  }
  .reversed,
  .expired,
  .canceled {
    --_m: var(--_warn);
    --_c: '!';
  }
  .ready .result,
  .idle .result {
    border: 3px dashed var(--_line);
  }
  .loading .result,
  .submitting .result,
  .paying .result,
  .password .result {
    border: 4px solid var(--_line);
    border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .result {
      animation-duration: 4s !important;
    }
  }

  .status {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-height: 4.5em;
    margin-top: 12px;
  }
  .message {
    color: var(--_m, inherit);
    font-size: 20px;
    font-weight: 600;
  }
  .channel,
  .reason,
  .next {
    color: var(--_muted);
    font-size: 13px;
    overflow-wrap: anywhere;
  }
  .reason {
    color: var(--_text);
  }
  .notice {
    color: var(--_warn);
    font-size: 13px;
  }

  .form {
    margin-top: 16px;
    padding-top: 16px;
    border-top: 1px solid var(--_line);
    text-align: start;
  }
  label {
    display: block;
    margin-bottom: 4px;
    font-weight: 600;
  }
  .row {
    display: flex;
    gap: 8px;
  }
  input {
    flex: 1;
    min-width: 0;
    min-height: 44px;
    padding: 0 12px;
    border: 1px solid var(--_line);
    border-radius: calc(var(--_r) * 0.67);
    background: var(--_bg);
    color: inherit;
    font: inherit;
    font-size: 18px;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.04em;
  }
  input[aria-invalid='true'] {
    border-color: var(--_bad);
  }
  button {
    min-height: 44px;
    padding: 0 20px;
    border: 0;
    border-radius: calc(var(--_r) * 0.67);
    background: var(--_accent);
    color: #fff;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button:disabled,
  input:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .camera-button {
    width: 100%;
    margin-top: 8px;
    border: 1px solid var(--_line);
    background: var(--_bg);
    color: inherit;
  }
  .camera-button[aria-pressed='true'] {
    border-color: var(--_accent);
  }
  input:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .hint {
    margin-top: 6px;
    color: var(--_muted);
    font-size: 12px;
  }
  .invalid {
    margin-top: 4px;
    color: var(--_bad);
    font-size: 13px;
  }
  .camera {
    display: block;
    width: 100%;
    margin-top: 12px;
    border-radius: calc(var(--_r) * 0.67);
    background: #000;
    aspect-ratio: 4 / 3;
    object-fit: cover;
  }
`;
