using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>Layout defects a screenshot shows but a test must name: elements drawn over each other, images without size.</summary>
public static class LayoutProbe
{
    /// <summary>
    /// Pairs of visible elements that carry text or take input (and are not inside one another) whose boxes cross by
    /// more than 4 px each way: a heading under a button, two buttons on top of each other, a label over a field.
    /// Inline elements are measured per line (getClientRects), so a link that wraps is two boxes, not one big one;
    /// the 4 px allow for glyphs of tightly set lines reaching into the next line's box. SVG drawings, hidden parts
    /// the skip link (off screen until focused) and
    /// whatever sits in a 1 px clipping box (visually hidden text, the forms' spam trap) are left out.
    /// </summary>
    public static Task<string[]> OverlapsAsync(IPage page) =>
        page.EvaluateAsync<string[]>("""
            () => {
              const selector = 'a, button, input, select, textarea, label, summary, h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, img, figcaption, blockquote, pre';
              const shown = el => {
                const style = getComputedStyle(el);
                return style.visibility !== 'hidden' && style.display !== 'none' && parseFloat(style.opacity) > 0;
              };
              // Inside a 1 px box that clips its content: visually hidden (a screen-reader text, a spam trap).
              const clipped = el => {
                for (let box = el.parentElement; box; box = box.parentElement) {
                  const rect = box.getBoundingClientRect();
                  if (rect.width <= 1 && rect.height <= 1 && getComputedStyle(box).overflow !== 'visible') {
                    return true;
                  }
                }
                return false;
              };
              const elements = [...document.querySelectorAll(selector)]
                .filter(el => !el.closest('svg, [hidden], .visually-hidden, .skip-link') && shown(el) && el.checkVisibility() && !clipped(el));
              const boxes = [];
              for (const el of elements) {
                for (const rect of el.getClientRects()) {
                  if (rect.width > 4 && rect.height > 4) {
                    boxes.push({ el, rect });
                  }
                }
              }
              const describe = el => {
                const classes = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
                const text = (el.textContent || el.getAttribute('alt') || el.getAttribute('name') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
                return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes} "${text}"`;
              };
              const found = [];
              for (let i = 0; i < boxes.length && found.length < 10; i++) {
                for (let j = i + 1; j < boxes.length && found.length < 10; j++) {
                  const a = boxes[i], b = boxes[j];
                  if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) {
                    continue;
                  }
                  const width = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
                  const height = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
                  if (width > 4 && height > 4) {
                    found.push(`${describe(a.el)} and ${describe(b.el)} overlap by ${Math.round(width)}×${Math.round(height)} px`);
                  }
                }
              }
              return found;
            }
            """);

    /// <summary>How many pixels wider than the screen the page is (more than 0: it scrolls sideways).</summary>
    public static Task<int> SidewaysOverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");

    /// <summary>Images without both a width and a height attribute (the browser cannot reserve their space).</summary>
    public static Task<string[]> ImagesWithoutDimensionsAsync(IPage page) =>
        page.EvaluateAsync<string[]>(
            "() => [...document.images].filter(img => !(img.getAttribute('width') && img.getAttribute('height'))).map(img => img.getAttribute('src'))");
}
