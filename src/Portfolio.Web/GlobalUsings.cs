// Cross-cutting pieces every capability uses: time zones, the audit log, text input, site URLs.
global using Portfolio.Web.Shared;
