// The staff pages' only script: a print button for the receipts and link codes. The
// Content-Security-Policy runs no inline script or handler (onclick="..."), so the button is
// wired here. It starts hidden and is shown only once this runs: a browser without scripts
// is never left with a button that does nothing (Ctrl+P still prints).
for (const button of document.querySelectorAll("button[data-print]")) {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
}
