"""The application: command line, drawings and reports over model/, proofs/ and sim/."""
__version__ = "0.1.0"
