// Canopy's hosted card form. It sends the card from this frame straight to POST /v1/tokens and
// hands the framing page only the token, by postMessage to the one origin the gateway let frame
// this page. The card number and CVC stay in this frame: never posted to the parent, never stored,
// never put in a URL.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $('card-form');
  const publishableKey = form.dataset.publishableKey;
  const parentOrigin = form.dataset.parentOrigin;
  const fields = { number: $('card-number'), expiry: $('card-expiry'), cvc: $('card-cvc') };
  const errorLine = $('card-error');
  const statusLine = $('card-status');
  const submit = $('card-submit');
  /** The field an API error's `param` is about. */
  const FIELD_OF_PARAM = {
    'card.number': fields.number,
    'card.exp_month': fields.expiry,
    'card.exp_year': fields.expiry,
    'card.cvc': fields.cvc,
  };

  /** "12/30", "12 / 2030", "1230" or "122030" → { month, year }; undefined when it is none of these. */
  function parseExpiry(text) {
    const value = text.trim();
    const match = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(value) || /^(\d{2})(\d{2}|\d{4})$/.exec(value);
    if (!match) return undefined;
    const month = Number(match[1]);
    const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
    return month >= 1 && month <= 12 ? { month, year } : undefined;
  }

  function showError(message, field) {
    errorLine.textContent = message;
    statusLine.textContent = '';
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  function clearError() {
    errorLine.textContent = '';
    for (const field of Object.values(fields)) field.removeAttribute('aria-invalid');
  }

  function tell(message) {
    window.parent.postMessage(message, parentOrigin);
  }

  function tokenized(token) {
    const card = token.card;
    form.reset();
    statusLine.textContent = `Card accepted: ${card.brand} ending in ${card.last4}.`;
    // Built field by field: nothing else of the answer leaves this frame.
    tell({
      type: 'canopy.token',
      token: { id: token.id, card: { brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year } },
    });
  }

  function refused(error) {
    const code = (error && error.code) || 'tokenization_failed';
    const message = (error && error.message) || 'The card could not be checked. Please try again.';
    showError(message, error && FIELD_OF_PARAM[error.param]);
    tell({ type: 'canopy.error', error: { code, message } });
  }

  async function tokenize(card) {
    let response;
    try {
      response = await fetch('/v1/tokens', {
        method: 'POST',
        headers: { authorization: `Bearer ${publishableKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ card }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return refused({ code: 'network_error', message: 'Canopy could not be reached. Check the connection and try again.' });
    }
    const body = await response.json().catch(() => null);
    if (response.status === 201 && body && body.object === 'token') tokenized(body);
    else refused(body && body.error);
  }

  for (const field of Object.values(fields)) field.addEventListener('input', () => field.removeAttribute('aria-invalid'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearError();
    const number = fields.number.value.replace(/[\s-]/g, '');
    const expiry = parseExpiry(fields.expiry.value);
    const cvc = fields.cvc.value.trim();
    if (number === '') return showError('Enter the card number.', fields.number);
    if (!expiry) return showError('Enter the expiry date as MM/YY.', fields.expiry);
    if (!/^\d{3,4}$/.test(cvc)) return showError('Enter the 3 or 4 digit security code.', fields.cvc);

    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    statusLine.textContent = 'Checking the card…';
    try {
      await tokenize({ number, exp_month: expiry.month, exp_year: expiry.year, cvc });
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      if (statusLine.textContent === 'Checking the card…') statusLine.textContent = '';
    }
  });
})();
