// fhirclient only falls back to this when globalThis.crypto is missing (never in a browser).
export default globalThis.crypto;
