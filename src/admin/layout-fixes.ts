/**
 * Two of Strapi's admin layouts corrected by a style sheet added once at start-up (a CSS file
 * imported by app.tsx lands in a chunk the built admin never links).
 */
const CSS = `
/*
 * Strapi's UID field (the slug) lays its "Available" / "Unavailable" label over the end of the
 * input (absolutely placed, 100px wide): a long slug ran under it. In the flow, the label takes
 * its own room and the input's text ends before it. The attribute is Strapi's own (UID.mjs).
 */
[data-not-here-outer] {
  position: static !important;
  width: auto !important;
  flex-shrink: 0;
  white-space: nowrap;
}

/*
 * A required enumeration's "Choose here" placeholder is an option Strapi marks hidden and
 * disabled, but the design system's options are display: flex, so it showed greyed out.
 */
[role='option'][hidden] {
  display: none !important;
}
`;

export const addLayoutFixes = () => {
  if (document.getElementById('wutong-layout-fixes')) return;
  const style = document.createElement('style');
  style.id = 'wutong-layout-fixes';
  style.textContent = CSS;
  document.head.appendChild(style);
};
