"""Draw the datasette-vega chart when a link changes the URL fragment, not only on a reload.

datasette-vega reads its settings from the fragment once, when the page loads, and ignores a later
change until a chart is showing; so the link "Show them as a chart" (canned query *Figures over
time*) only changed the address bar. When a fragment with chart settings (`#g.…`) arrives and no
chart is drawn yet, the page reloads and datasette-vega draws it. Once a chart shows, datasette-vega
follows its own fragment changes, so there is no reload loop.
"""

from datasette import hookimpl

SCRIPT = """
window.addEventListener("hashchange", function () {
  if (location.hash.indexOf("#g.") === 0 && !document.querySelector(".vega-embed canvas, .vega-embed svg")) {
    location.reload();
  }
});
"""


@hookimpl
def extra_body_script(view_name):
    return SCRIPT if view_name in ("table", "database", "query") else ""
