// The focal point's ring on the preview, placed from the number fields and moved as they change. Without this
// script the fields show the point and a click on the preview still sets it (an <input type="image"> posts where
// it was clicked). Positions are set through the style object, which the content security policy allows.
(() => {
  for (const form of document.querySelectorAll('form[data-focal-point]')) {
    const marker = form.querySelector('.bo-media__focus-marker');
    const x = form.querySelector('input[name="FocalX"]');
    const y = form.querySelector('input[name="FocalY"]');
    if (!marker || !x || !y) continue;
    const place = () => {
      const clamp = (input) => Math.min(100, Math.max(0, Number(input.value) || 0));
      marker.style.left = `${clamp(x)}%`;
      marker.style.top = `${clamp(y)}%`;
      marker.hidden = false;
    };
    x.addEventListener('input', place);
    y.addEventListener('input', place);
    place();
  }
})();
