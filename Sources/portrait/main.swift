import PortraitCLI

await PortraitCommand.start()
