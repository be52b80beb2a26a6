/** The picocli command line: thin commands that parse options into records and call the stages. */
package dev.imet.cli;
