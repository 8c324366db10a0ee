// The local EHR launcher (embedded demo): signs the clinician in at the FHIR server's own sign-in
// form (same origin, so the session cookie is the one the authorize endpoint sees), mints an EHR
// launch context with POST /smart/launch (CSRF header from GET /smart/session), and opens the
// doctor app with ?iss&launch in a frame of this page, as an EHR would (the apps and sign-in pages
// may be framed by this origin: frame-ancestors 'self', decision 0805). The CDS cards the app
// receives for the patient in view are shown beside it (the app posts them to its parent, same
// origin only). The app reaches CDS through the FHIR server's relay unless a CDS base is named.

import { renderCards } from '../shared/cds.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.get('cds')) $('cds').value = params.get('cds');

function status(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : 'muted';
}

function cookie(name) {
  const m = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : null;
}

/** The signed-in user ({username, fhirUser, csrfHeader, csrfToken}), or null. */
async function session() {
  const res = await fetch('/smart/session', { headers: { Accept: 'application/json' }, redirect: 'manual' });
  if (res.type === 'opaqueredirect' || !res.ok) return null;
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : null;
}

/** Signs in with the server's form login (username, password and its CSRF token). */
async function signIn(username, password) {
  await fetch('/login', { redirect: 'manual' }); // sets the XSRF-TOKEN cookie
  const token = cookie('XSRF-TOKEN');
  const form = new URLSearchParams({ username, password });
  if (token) form.set('_csrf', token);
  const res = await fetch('/login', {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: token ? { 'X-XSRF-TOKEN': token } : {},
  });
  if (res.type !== 'opaqueredirect' && !res.ok) throw new Error(`sign-in answered ${res.status}`);
  const s = await session();
  if (!s) throw new Error('wrong user name or password');
  return s;
}

$('pick').addEventListener('submit', async (e) => {
  e.preventDefault();
  const username = $('username').value.trim();
  try {
    status('signing in…');
    let s = await session();
    if (!s || s.username !== username) s = await signIn(username, $('password').value);
    status(`signed in as ${s.username} (${s.fhirUser}); minting launch…`);
    const patient = $('patient').value.trim().replace(/^Patient\//, '');
    const encounter = $('encounter').value.trim() || `${patient}-ward`;
    const res = await fetch('/smart/launch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', [s.csrfHeader]: s.csrfToken },
      body: JSON.stringify({ patient, encounter }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || `launch answered ${res.status}`);
    const url = new URL('/apps/doctor/', location.origin);
    url.searchParams.set('iss', body.iss);
    url.searchParams.set('launch', body.launch);
    // Empty: the app calls CDS through the server's relay (decision 0806); a base URL here is
    // called directly, which only a CDS service without client authentication accepts.
    if ($('cds').value.trim()) url.searchParams.set('cds', $('cds').value.trim());
    const frame = $('app-frame');
    frame.hidden = false;
    frame.src = url.toString();
    $('app-state').textContent = `Doctor app launched by ${s.username} for Patient/${patient} (EHR launch ${body.launch.slice(0, 6)}…).`;
    status(`launched for Patient/${patient}`);
    document.body.dataset.launched = 'true';
  } catch (err) {
    status(`Launch failed: ${err.message}`, true);
  }
});

window.addEventListener('message', (e) => {
  if (e.origin !== location.origin || e.data?.type !== 'vitals-cds-cards') return;
  $('cards-for').textContent = `for Patient/${e.data.patient}`;
  renderCards($('cards'), e.data.cards || []);
});
