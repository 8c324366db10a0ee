// The doctor app as a CDS Hooks 2.0 client of the vitals-ai patient-view service: it sends the
// context, its FHIR base and its own access token (fhirAuthorization), and the service reads what
// it needs from the FHIR server with that token. The service URL defaults to the local CDS service
// and can be given to the app as ?cds=<base> (the launcher passes its own setting on).

export const DEFAULT_CDS = 'http://localhost:8082';

/** The CDS base the app uses: ?cds= of this launch (remembered for the redirect), or the default. */
export function cdsBase() {
  const q = new URLSearchParams(location.search).get('cds');
  if (q) sessionStorage.setItem('vitals.cds', q);
  return sessionStorage.getItem('vitals.cds') || DEFAULT_CDS;
}

/** Calls patient-view; returns the cards (an Error with the reason when the service refuses). */
export async function patientViewCards(client, patientId, base = cdsBase()) {
  const tok = client.state.tokenResponse;
  const body = {
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    fhirServer: client.state.serverUrl,
    fhirAuthorization: {
      access_token: tok.access_token,
      token_type: 'Bearer',
      expires_in: tok.expires_in || 300,
      scope: tok.scope,
      subject: client.state.clientId,
    },
    context: {
      userId: relativeRef(client.user.fhirUser) || 'Practitioner/unknown',
      patientId,
      ...(client.encounter.id && patientId === client.patient.id ? { encounterId: client.encounter.id } : {}),
    },
  };
  const res = await fetch(`${base.replace(/\/+$/, '')}/cds-services/vitals-ai`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
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
