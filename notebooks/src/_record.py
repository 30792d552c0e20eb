# Record an output the way scrapbook does (a display_data of mimetype
# application/scrapbook.scrap.json+json), so flow, papermill and scrapbook can all read it,
# without needing scrapbook installed. The value also stays a plain variable of the same name.
from IPython.display import display


def record(name, value):
    """Record `value` as the notebook output `name` and return it."""
    scrap = {"name": name, "data": value, "encoder": "json", "version": 1}
    display({"application/scrapbook.scrap.json+json": scrap},
            metadata={"scrapbook": {"name": name, "data": True, "display": False}}, raw=True)
    return value
