"""Built-in plugins. Each subpackage is registered through the `newsprism` entry-point group."""
