/**
 * Colour scheme: the system's (prefers-color-scheme) unless the toggle chose one, kept in
 * localStorage. The stylesheet reads `data-theme` on <html>; without it, the media query decides.
 */
const KEY = 'edgewatch-theme';
type Theme = 'light' | 'dark';

function stored(): Theme | undefined {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : undefined;
  } catch {
    return undefined;
  }
}

function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function currentTheme(): Theme {
  return (document.documentElement.dataset.theme as Theme | undefined) ?? systemTheme();
}

export function initTheme(): void {
  const button = document.getElementById('theme');
  const chosen = stored();
  if (chosen) document.documentElement.dataset.theme = chosen;
  const label = () => {
    const dark = currentTheme() === 'dark';
    button?.setAttribute('aria-pressed', String(dark));
  };
  label();
  button?.addEventListener('click', () => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Private mode: the choice lasts for this page.
    }
    label();
    window.dispatchEvent(new Event('themechange'));
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    label();
    window.dispatchEvent(new Event('themechange'));
  });
}
