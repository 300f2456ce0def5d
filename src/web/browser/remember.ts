/**
 * A choice kept in this browser (localStorage) under the select's data-remember key, which
 * the page makes per person: a professional with several sites finds the last one chosen.
 * Only a value among the select's own options is restored.
 */
export function rememberChoice(selector: string): void {
  const select = document.querySelector<HTMLSelectElement>(selector);
  const key = select?.dataset.remember;
  if (!select || !key) return;
  const kept = localStorage.getItem(key);
  if (kept !== null && [...select.options].some((option) => option.value === kept)) select.value = kept;
  select.addEventListener('change', () => localStorage.setItem(key, select.value));
}
