// Chart.js, served locally from node_modules (the npm package chart.js; the
// scheduler maps /vendor/PATH to node_modules/PATH), loaded the first time a
// page needs a chart. The file is asked for with its installed version
// (/vendor/chart.js@4.4.1/…, from /vendor/versions.json), which the server
// lets the browser keep for a year; a newer install changes the URL.
let loading = null;

async function chartUrl() {
  try {
    const response = await fetch('/vendor/versions.json', { credentials: 'omit' });
    const versions = response.ok ? await response.json() : {};
    if (versions['chart.js']) return `/vendor/chart.js@${versions['chart.js']}/dist/chart.umd.js`;
  } catch { /* fall back to the unversioned file */ }
  return '/vendor/chart.js/dist/chart.umd.js';
}

export function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!loading) {
    loading = chartUrl().then((src) => new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve(window.Chart);
      script.onerror = () => { loading = null; reject(new Error(`Chart.js (${src}) could not be loaded`)); };
      document.head.append(script);
    }));
  }
  return loading;
}

export const COLORS = ['#1f5fa8', '#d9822b', '#2e8b57', '#b03a48', '#6a5acd', '#7f8c8d'];
