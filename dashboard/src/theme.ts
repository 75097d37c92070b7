/**
 * Colour scheme: the system's (prefers-color-scheme) unless the toggle chose one, kept in
 * localStorage. Either way it lands in `data-theme` on <html>, which the stylesheet reads: one
 * block of dark colours, not a second copy under a media query.
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
  return stored() ?? systemTheme();
}

export function initTheme(): void {
  const button = document.getElementById('theme');
  const label = () => {
    const theme = currentTheme();
    document.documentElement.dataset.theme = theme;
    button?.setAttribute('aria-pressed', String(theme === 'dark'));
  };
  label();
  button?.addEventListener('click', () => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
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
