// The doctor app as a CDS Hooks 2.0 client of the vitals-ai patient-view service. By default it
// calls through the FHIR server's CDS relay (POST <FHIR origin>/cds-relay/cds-services/{id} with its
// own access token): a browser cannot keep the signing key CDS Hooks client JWTs need, so the
// server signs them, checks that the token is a clinician's that may read the patient, and passes
// the token on as fhirAuthorization (decision 0806). ?cds=<base> given at launch calls that CDS
// service directly instead (only a service with VITALS_CDS_AUTH=off accepts browser calls).

/** The CDS base named at launch (?cds=, remembered across the redirect), or null: the relay. */
export function cdsBase() {
  const q = new URLSearchParams(location.search).get('cds');
  if (q) sessionStorage.setItem('vitals.cds', q);
  return sessionStorage.getItem('vitals.cds') || null;
}

/** The relay of the FHIR server at `fhirBase` (https://host/fhir -> https://host/cds-relay). */
export function relayBase(fhirBase) {
  return `${String(fhirBase).replace(/\/+$/, '').replace(/\/fhir$/, '')}/cds-relay`;
}

/**
 * The request to send: through the relay (bearer token; the relay adds fhirServer and
 * fhirAuthorization) or directly to a CDS base (fhirAuthorization in the body).
 */
export function patientViewRequest(state, user, patientId, encounterId, base) {
  const body = {
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    context: {
      userId: relativeRef(user) || 'Practitioner/unknown',
      patientId,
      ...(encounterId ? { encounterId } : {}),
    },
  };
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const tok = state.tokenResponse;
  if (!base) {
    headers.Authorization = `Bearer ${tok.access_token}`;
    return { url: `${relayBase(state.serverUrl)}/cds-services/vitals-ai`, headers, body };
  }
  body.fhirServer = state.serverUrl;
  body.fhirAuthorization = {
    access_token: tok.access_token,
    token_type: 'Bearer',
    expires_in: tok.expires_in || 300,
    scope: tok.scope,
    subject: state.clientId,
  };
  return { url: `${base.replace(/\/+$/, '')}/cds-services/vitals-ai`, headers, body };
}

/** Calls patient-view; returns the cards (an Error with the reason when the service refuses). */
export async function patientViewCards(client, patientId, base = cdsBase()) {
  const encounterId = client.encounter.id && patientId === client.patient.id ? client.encounter.id : null;
  const req = patientViewRequest(client.state, client.user.fhirUser, patientId, encounterId, base);
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: JSON.stringify(req.body) });
  const text = await res.text();
  if (!res.ok) {
    let why = text;
    try {
      const j = JSON.parse(text);
      why = j.error_description || j.issue?.[0]?.diagnostics || text;
    } catch {
      /* plain text */
    }
    throw new Error(`CDS service ${res.status}: ${why}`);
  }
  return JSON.parse(text).cards || [];
}

/** Renders cards into `el` (summary, indicator, detail, source, links). */
export function renderCards(el, cards) {
  el.replaceChildren();
  if (!cards.length) {
    el.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'No CDS cards for this patient.' }));
    return;
  }
  for (const c of cards) {
    const card = document.createElement('article');
    card.className = `card card-${c.indicator || 'info'}`;
    card.dataset.testid = 'cds-card';
    const h = document.createElement('h4');
    h.textContent = c.summary;
    card.append(h);
    if (c.detail) card.append(markdownBlock(c.detail));
    if (c.source?.label) {
      const s = document.createElement('p');
      s.className = 'source';
      if (c.source.url) {
        const a = Object.assign(document.createElement('a'), { href: c.source.url, target: '_blank', rel: 'noopener', textContent: c.source.label });
        s.append('Source: ', a);
      } else {
        s.textContent = `Source: ${c.source.label}`;
      }
      card.append(s);
    }
    el.append(card);
  }
}

/** "Practitioner/123" of an absolute or relative fhirUser reference. */
export function relativeRef(ref) {
  if (!ref) return null;
  const m = String(ref).match(/([A-Za-z]+\/[^/]+)$/);
  return m ? m[1] : ref;
}

/**
 * The small part of GitHub-flavoured Markdown that card details use (CDS Hooks 2.0: detail is
 * Markdown): paragraphs and pipe tables; emphasis marks are dropped. Text only, never HTML.
 */
export function markdownBlock(md) {
  const box = document.createElement('div');
  box.className = 'detail';
  let table = null;
  for (const raw of md.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('|')) {
      const cells = line.replace(/^\||\|$/g, '').split('|').map((x) => x.trim());
      if (cells.every((x) => /^:?-{2,}:?$/.test(x))) continue; // the header rule
      if (!table) {
        table = document.createElement('table');
        table.className = 'md';
        box.append(table);
      }
      const tr = table.insertRow();
      for (const cell of cells) tr.insertCell().textContent = cell.replace(/[*_`]/g, '');
      continue;
    }
    table = null;
    if (!line) continue;
    box.append(Object.assign(document.createElement('p'), { textContent: line.replace(/[*_`#>]/g, '') }));
  }
  return box;
}
