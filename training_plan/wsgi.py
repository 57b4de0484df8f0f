import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_plan.settings")
application = get_wsgi_application()

# WeasyPrint takes a second to import (cffi parses its C declarations). gunicorn loads this module
# once in its master (preload_app), so import it here and no worker's first PDF pays for it.
# Importing only loads the libraries: nothing is rendered, no font is read before the fork.
import weasyprint  # noqa: E402, F401
