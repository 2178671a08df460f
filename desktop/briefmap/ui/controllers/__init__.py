"""Small controllers, one per job, each owning its widgets and subscribing to the model:
layers, scenario and names, timeline, selection and identify, the user's layers, export
and restore. The main window only assembles them."""
