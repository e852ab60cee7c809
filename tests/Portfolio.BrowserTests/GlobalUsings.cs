global using Microsoft.Playwright;
global using Portfolio.TestSupport;
global using Xunit;
