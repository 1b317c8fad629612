// Keyboard access to Material's navigation drawer on small screens. Its menu button is a <label> for a hidden
// checkbox: it works with a mouse, also without JavaScript, but a keyboard cannot reach it, and a label may not
// take a button role. So the label is replaced by a real button that toggles the drawer, tells its state
// (aria-expanded) and gets the focus back when Escape closes the drawer.
const drawer = document.getElementById("__drawer");
const menuLabel = document.querySelector('label.md-header__button[for="__drawer"]');

if (drawer && menuLabel) {
  const menuButton = document.createElement("button");
  menuButton.type = "button";
  menuButton.className = `${menuLabel.className} rd-menue`;
  menuButton.setAttribute("aria-label", "Navigation");
  menuButton.append(...menuLabel.childNodes);
  menuLabel.replaceWith(menuButton);

  const showState = () => menuButton.setAttribute("aria-expanded", String(drawer.checked));
  menuButton.addEventListener("click", () => drawer.click());
  drawer.addEventListener("change", showState);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && drawer.checked) {
      drawer.click();
      menuButton.focus();
    }
  });
  showState();
}
