// Chart.js, served locally from /vendor/chart.js/dist/chart.umd.js (the npm
// package chart.js; the scheduler maps /vendor/PATH to node_modules/PATH),
// loaded the first time a page needs a chart.
let loading = null;

export function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/vendor/chart.js/dist/chart.umd.js';
      script.onload = () => resolve(window.Chart);
      script.onerror = () => { loading = null; reject(new Error('Chart.js (/vendor/chart.js/dist/chart.umd.js) could not be loaded')); };
      document.head.append(script);
    });
  }
  return loading;
}

export const COLORS = ['#1f5fa8', '#d9822b', '#2e8b57', '#b03a48', '#6a5acd', '#7f8c8d'];
