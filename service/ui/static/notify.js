// One place for messages: errors in a role="alert" box, progress in a polite status line.

const box = () => document.getElementById("alert");
const line = () => document.getElementById("status");

export function showError(message) {
  box().textContent = message;
  box().hidden = false;
}

export function clearError() {
  box().textContent = "";
  box().hidden = true;
}

export function say(message) {
  line().textContent = message;
}

/** Move focus to a view's heading so keyboard and screen-reader users start where the content does. */
export function focusHeading(root) {
  const heading = root.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}
