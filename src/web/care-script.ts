/**
 * The browser side of the care page, served as /static/soins.js: posts the forms to the
 * JSON API with the session cookie and writes the answers with textContent only (no HTML
 * from the network ever reaches the page).
 */
export const careScript = `'use strict';
const value = (form, name) => form.elements.namedItem(name).value;
const euros = (cents) => (cents / 100).toFixed(2).replace('.', ',') + ' €';
async function post(url, body) {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(json.message || response.status);
  return json;
}
function show(id, lines) {
  const out = document.querySelector(id);
  out.replaceChildren(...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
}
document.querySelector('#rights')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target;
  try {
    const answer = await post('/api/v1/rights/check', { structure: value(f, 'structure'), amc: value(f, 'amc'), adherent: value(f, 'adherent'),
      nir: value(f, 'nir'), naissance: value(f, 'naissance'), rang: Number(value(f, 'rang')), dateSoins: value(f, 'dateSoins') });
    if (!answer.couvert) return show('#rights-answer', ['Non couvert.']);
    document.querySelector('#engagement').value = answer.engagement.numero;
    show('#rights-answer', ['Couvert. Engagement ' + answer.engagement.numero + ' (jusqu’au ' + answer.engagement.expiration.slice(0, 10) + ')',
      ...answer.domaines.map((d) => d.domaine + ' — ' + d.libelle + ' : ' + d.garantie)]);
  } catch (error) { show('#rights-answer', ['Refusé : ' + error.message]); }
});
document.querySelector('#calculation')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target;
  try {
    const answer = await post('/api/v1/coverage/calculate', { structure: document.querySelector('#rights').elements.namedItem('structure').value,
      engagement: value(f, 'engagement'), lignes: [{ acte: value(f, 'acte'), domaine: value(f, 'domaine'), quantite: Number(value(f, 'quantite')),
        prix: Math.round(Number(value(f, 'prix').replace(',', '.')) * 100), base: Math.round(Number(value(f, 'base').replace(',', '.')) * 100),
        tauxAmo: Number(value(f, 'tauxAmo')), participationForfaitaire: Math.round(Number(value(f, 'pf').replace(',', '.')) * 100),
        // Unticked, OPTAM is left out: the API then treats a physician as not adherent.
        ...(f.elements.namedItem('optam').checked ? { optam: true } : {}),
        ...(value(f, 'dispositif') ? { dispositif: value(f, 'dispositif') } : {}) }] });
    const line = answer.lignes[0];
    show('#calculation-answer', ['Part AMO : ' + euros(line.amo) + ' (versée : ' + euros(line.amoVerse) + ')', 'Part complémentaire (AMC) : ' + euros(line.amc),
      'Reste à charge du patient : ' + euros(line.patient), 'Règle : ' + line.libelle]);
  } catch (error) { show('#calculation-answer', ['Refusé : ' + error.message]); }
});
`;
