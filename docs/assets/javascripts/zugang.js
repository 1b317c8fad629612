// Keyboard access to Material's navigation drawer on small screens. Its menu button is a <label> for a hidden
// checkbox, which a keyboard cannot reach; overrides/partials/header.html makes it a focusable button. Material
// itself clicks a focused label on Enter; this script adds Space, lets Escape close the drawer, and keeps
// aria-expanded true to the drawer's state.
const drawer = document.getElementById("__drawer");
const menuButtons = [...document.querySelectorAll('label.md-header__button[for="__drawer"]')];

function showState() {
  for (const button of menuButtons) button.setAttribute("aria-expanded", String(drawer.checked));
}

if (drawer) {
  for (const button of menuButtons) {
    button.addEventListener("keydown", (event) => {
      if (event.key === " ") {
        event.preventDefault();
        drawer.click();
      }
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && drawer.checked) {
      drawer.click();
      menuButtons[0]?.focus();
    }
  });
  drawer.addEventListener("change", showState);
  showState();
}
